/**
 * The result of comparing two lines of change from one common ancestor: THEIRS (the remote head)
 * and YOURS (the ancestor with your pending migrations applied), cell by cell, the way Dolt's
 * three-way merge decides what merges cleanly.
 */
import type { SchemaChange, SqlValue } from '../diff/types';

/** A row as column name → value (only the columns that side's table has). */
export type RowValues = Record<string, SqlValue>;

export type ConflictKind = Conflict['kind'];

/**
 * One conflict. Row conflicts name the row by its key (primary key columns, or the rowid for
 * tables without one). A side's value or row is absent where it does not exist on that side.
 */
export type Conflict =
  /**
   * The same cell changed to different values on both sides. A side's value is absent when that
   * side dropped the column (the other side changed the cell).
   */
  | { kind: 'same-cell'; table: string; key: RowValues; column: string; ancestor: SqlValue; theirs?: SqlValue; yours?: SqlValue }
  /** Theirs deleted the row (or the whole table) that yours changed or inserted (then no ancestor). */
  | { kind: 'deleted-by-theirs-changed-by-yours'; table: string; key: RowValues; ancestor?: RowValues; yours: RowValues }
  /** Yours deleted the row (or the whole table) that theirs changed or inserted (then no ancestor). */
  | { kind: 'changed-by-theirs-deleted-by-yours'; table: string; key: RowValues; ancestor?: RowValues; theirs: RowValues }
  /** Both inserted a row with the same key, with different values. */
  | { kind: 'insert-same-key'; table: string; key: RowValues; theirs: RowValues; yours: RowValues }
  /**
   * Both changed the definition of the same table (or view, or trigger) differently, or the same
   * index or trigger of it. Rows of such a table are not compared.
   */
  | { kind: 'schema-both'; table: string; theirs: SchemaChange[]; yours: SchemaChange[] };

/** What one side changed in one table. */
export interface TableChanges {
  table: string;
  inserted: number;
  updated: number;
  deleted: number;
  schemaChanges: SchemaChange[];
}

/** What one side changed: its touched tables, and views and triggers outside them. */
export interface ChangeSummary {
  tables: TableChanges[];
  objectChanges: SchemaChange[];
}

export interface ThreeWayReport {
  /** Every conflict, table by table. */
  conflicts: Conflict[];
  theirs: ChangeSummary;
  yours: ChangeSummary;
  /** Rows changed on both sides that merge without conflict (same new values, or different cells). */
  cleanlyMerged: number;
}
