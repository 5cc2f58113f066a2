export type * from './types';
export { diffDatabases, writeDiffSql } from './diff-databases';
export { B2M_TABLE, type DiffOptions, type SqlSink } from './diff-engine';
export { formatSummary, hasDifferences } from './summary';
export { changedKeys, rowKeyString, type ChangedKeys } from './changed-keys';
export { configureSqlJs, loadSqlJs, type SqlJsLocation } from './sqljs-loader';
export { sqlLiteral, realLiteral, textLiteral } from './sql/sql-literal';
export { sqlIdentifier } from './sql/identifiers';
