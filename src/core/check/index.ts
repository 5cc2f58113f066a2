export type * from './types';
export { checkDatabase, checkDatabases } from './check-database';
export { formatCheckText } from './text';
export { formatCheckErrorMarkdown, formatCheckMarkdown, MARKDOWN_MARKER } from './markdown';
export { warningCount } from './describe';
