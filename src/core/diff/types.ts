/**
 * The structured result of comparing two SQLite databases (A → B). Shared by the diff engine,
 * the CLI (`--json`), the sync overlap check and the diff webview (as plain JSON).
 */

/** A SQLite value as JSON can carry it exactly. Integers beyond 2^53 and blobs are tagged. */
export type SqlValue =
  | null
  | { type: 'integer'; value: string } // decimal text: exact for all 64-bit integers
  | { type: 'real'; value: number | 'Infinity' | '-Infinity' }
  /**
   * `hex` holds the exact bytes (in the database's text encoding) when they do not decode cleanly:
   * SQLite keeps TEXT as given, invalid UTF-8 included; `value` then shows them with U+FFFD.
   */
  | { type: 'text'; value: string; hex?: string }
  | { type: 'blob'; hex: string }; // lower-case hex

export interface ColumnInfo {
  name: string;
  /** Declared type as written in the schema ('' if none). */
  type: string;
  notNull: boolean;
  /** Default value expression as written in the schema, or null. */
  defaultSql: string | null;
  /** 1-based position in the primary key, 0 if not part of it. */
  pk: number;
}

export type SchemaChange =
  | { kind: 'table-added'; sql: string }
  | { kind: 'table-dropped'; sql: string }
  | { kind: 'columns-added'; columns: ColumnInfo[] }
  /**
   * Any other change to the table definition: sqldiff drops and recreates the table. Columns are
   * matched by name: a renamed column counts as dropped and added.
   */
  | { kind: 'table-recreated'; oldSql: string; newSql: string; droppedColumns: string[]; addedColumns: string[] }
  | { kind: 'index-added' | 'index-dropped' | 'view-added' | 'view-dropped' | 'trigger-added' | 'trigger-dropped'; name: string; sql: string }
  | { kind: 'index-changed' | 'view-changed' | 'trigger-changed'; name: string; oldSql: string; newSql: string };

export interface RowKey {
  /** Key column names (primary key, or ['rowid'] for tables without one). */
  columns: string[];
  values: SqlValue[];
}

export type RowChange =
  | { kind: 'insert'; key: RowKey; values: SqlValue[] }
  | { kind: 'delete'; key: RowKey; values: SqlValue[] }
  | {
      kind: 'update';
      key: RowKey;
      /** Full old and new rows, in the order of `TableDiff.columns`. */
      oldValues: SqlValue[];
      newValues: SqlValue[];
      /** Indexes into `TableDiff.columns` of the cells that changed. */
      changed: number[];
    };

export interface TableDiff {
  table: string;
  /** Columns of the table in B (or in A if it was dropped). */
  columns: ColumnInfo[];
  schemaChanges: SchemaChange[];
  rows: RowChange[];
  summary: TableSummary;
}

export interface TableSummary {
  changes: number; // updated rows
  inserts: number;
  deletes: number;
  unchanged: number;
}

export interface DiffResult {
  /** Labels of the two sides, e.g. file names or "v3 (alice)". */
  a: string;
  b: string;
  tables: TableDiff[];
  /** Index, view and trigger changes not attached to one table. */
  objectChanges: SchemaChange[];
  /** SQL that turns A into B when run with the sqlite3 shell. */
  sql: string;
}

/** A DiffResult without its rows and SQL text: what a streaming diff returns once it is done. */
export interface DiffOutline {
  a: string;
  b: string;
  tables: Omit<TableDiff, 'rows'>[];
  objectChanges: SchemaChange[];
}

/** A database's text encoding, as `PRAGMA encoding` names it. */
export type TextEncoding = 'UTF-8' | 'UTF-16le' | 'UTF-16be';
