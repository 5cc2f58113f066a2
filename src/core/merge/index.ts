export type * from './types';
export { compareThreeWay, compareChanges } from './three-way';
