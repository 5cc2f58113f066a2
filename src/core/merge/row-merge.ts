import { rowKeyString } from '../diff/changed-keys';
import { canonicalKey, sameSqlValue } from '../diff/sql/sql-value';
import type { RowChange, SqlValue, TableDiff } from '../diff/types';
import type { Conflict, RowValues } from './types';

/**
 * One side's change to one row, by column name. `before` is the ancestor's row (absent for an
 * insert), `after` the side's row (absent when it deleted the row).
 */
interface SideRow {
  key: RowValues;
  before?: RowValues;
  after?: RowValues;
  /** Columns whose value differs from the ancestor's (all of them for an insert). */
  changed: string[];
}

export interface RowMerge {
  conflicts: Conflict[];
  /** Rows changed on both sides without conflict. */
  cleanlyMerged: number;
}

type Side = 'theirs' | 'yours';

/** How a table's rows appear in one side's diff from the ancestor. */
export type TableShape = 'rows' | 'rebuilt' | 'dropped';

export function tableShape(table: TableDiff): TableShape {
  if (table.schemaChanges.some((c) => c.kind === 'table-dropped')) return 'dropped';
  return table.schemaChanges.some((c) => c.kind === 'table-recreated') ? 'rebuilt' : 'rows';
}

/**
 * Merges the row changes of one table changed on both sides (schemas not in conflict). Rows are
 * matched by key. A side that rebuilt the table lists all its rows as inserts: each row the other
 * side changed is then looked up there by the other side's key columns and compared with the
 * ancestor's values that the other side's change carries (a rebuilt table without the other
 * side's key columns matches none of its rows: they count as deleted there). When both sides
 * rebuilt it the same way, no ancestor values are known: same-key rows that differ are reported,
 * and nothing counts as merged.
 */
export function mergeTableRows(theirs: TableDiff, yours: TableDiff): RowMerge {
  const shapes = { theirs: tableShape(theirs), yours: tableShape(yours) };
  if (shapes.theirs === 'rows' && shapes.yours === 'rows') return mergeKeyed(theirs, yours, true);
  if (shapes.theirs !== 'rows' && shapes.yours !== 'rows') return mergeKeyed(theirs, yours, false);
  const [rebuiltSide, other]: [Side, Side] = shapes.theirs === 'rows' ? ['yours', 'theirs'] : ['theirs', 'yours'];
  const sides = { theirs, yours };
  return mergeWithRebuilt(sides[rebuiltSide], shapes[rebuiltSide] === 'dropped', sides[other], rebuiltSide);
}

/** Both sides list changed rows by the same key. */
function mergeKeyed(theirs: TableDiff, yours: TableDiff, countMerged: boolean): RowMerge {
  const result: RowMerge = { conflicts: [], cleanlyMerged: 0 };
  const mine = new Map(yours.rows.map((row) => [rowKeyString(row.key), sideRow(yours, row)]));
  for (const row of theirs.rows) {
    const y = mine.get(rowKeyString(row.key));
    if (y !== undefined) settle(theirs.table, sideRow(theirs, row), y, result, countMerged);
  }
  return result;
}

/**
 * One side rebuilt (or dropped) the table: every row the other side changed is looked up in the
 * rebuilt table's rows and compared with the ancestor.
 */
function mergeWithRebuilt(rebuilt: TableDiff, dropped: boolean, other: TableDiff, rebuiltSide: Side): RowMerge {
  const result: RowMerge = { conflicts: [], cleanlyMerged: 0 };
  const rows = new RebuiltRows(dropped ? [] : rebuilt.rows.map((row) => ({ ...valuesOf(row.key.columns, row.key.values), ...valuesOf(columnNames(rebuilt), afterValues(row)) })));
  for (const change of other.rows) {
    const changed = sideRow(other, change);
    const found = rows.find(change.key.columns, changed.key);
    const before = changed.before ? { before: changed.before } : {};
    let rebuiltRow: SideRow;
    if (found !== undefined) rebuiltRow = { key: changed.key, ...before, after: found, changed: changedColumns(changed.before, found) };
    else if (dropped || changed.before !== undefined) rebuiltRow = { key: changed.key, ...before, changed: [] };
    else continue; // a row only the other side inserted
    const [t, y] = rebuiltSide === 'theirs' ? [rebuiltRow, changed] : [changed, rebuiltRow];
    settle(other.table, t, y, result, true);
  }
  return result;
}

/** A rebuilt table's rows (with their key columns), found by the values of any set of columns. */
class RebuiltRows {
  private readonly indexes = new Map<string, Map<string, RowValues>>();

  constructor(private readonly rows: RowValues[]) {}

  /** The row whose `columns` hold the values `key` has in them; none if the table lacks a column. */
  find(columns: string[], key: RowValues): RowValues | undefined {
    const id = JSON.stringify(columns);
    let index = this.indexes.get(id);
    if (index === undefined) {
      index = new Map(this.rows.filter((row) => columns.every((c) => c in row)).map((row) => [valuesKey(columns, row), row]));
      this.indexes.set(id, index);
    }
    return index.get(valuesKey(columns, key));
  }
}

function valuesKey(columns: string[], row: RowValues): string {
  return canonicalKey(columns.map((c) => row[c] ?? null));
}

/** Decides one row changed on both sides (or by one, when the other rebuilt or dropped the table). */
function settle(table: string, t: SideRow, y: SideRow, result: RowMerge, countMerged: boolean): void {
  const key = t.key;
  if (t.after === undefined && y.after === undefined) {
    if (countMerged) result.cleanlyMerged++;
  } else if (t.after === undefined) {
    if (!unchanged(y)) result.conflicts.push({ kind: 'deleted-by-theirs-changed-by-yours', table, key, ...(y.before ? { ancestor: y.before } : {}), yours: y.after! });
  } else if (y.after === undefined) {
    if (!unchanged(t)) result.conflicts.push({ kind: 'changed-by-theirs-deleted-by-yours', table, key, ...(t.before ? { ancestor: t.before } : {}), theirs: t.after });
  } else if (t.before === undefined || y.before === undefined) {
    if (!sameOnCommonColumns(t.after, y.after)) result.conflicts.push({ kind: 'insert-same-key', table, key, theirs: t.after, yours: y.after });
    else if (countMerged) result.cleanlyMerged++;
  } else {
    const cells = sameCellConflicts(table, key, t, y);
    result.conflicts.push(...cells);
    if (cells.length === 0 && !unchanged(t) && !unchanged(y) && countMerged) result.cleanlyMerged++;
  }
}

/** A side's row that keeps every ancestor value it still has a column for. */
function unchanged(row: SideRow): boolean {
  return row.before !== undefined && row.after !== undefined && row.changed.length === 0;
}

/** Cells both sides changed to different values, and cells one side changed in a column the other dropped. */
function sameCellConflicts(table: string, key: RowValues, t: SideRow, y: SideRow): Conflict[] {
  const after = { theirs: t.after!, yours: y.after! };
  const columns = new Set([...t.changed, ...y.changed]);
  const changedByBoth = (column: string) => t.changed.includes(column) && y.changed.includes(column);
  // An ancestor's column is one both sides' ancestor rows have (a side's added columns show in its own only).
  const dropped = (column: string) => column in t.before! && column in y.before! && (!(column in after.theirs) || !(column in after.yours));
  return [...columns]
    .filter((column) => dropped(column) || (changedByBoth(column) && !sameSqlValue(after.theirs[column]!, after.yours[column]!)))
    .map((column) => ({
      kind: 'same-cell' as const,
      table,
      key,
      column,
      ancestor: t.before![column] ?? y.before![column] ?? null,
      ...(column in after.theirs ? { theirs: after.theirs[column]! } : {}),
      ...(column in after.yours ? { yours: after.yours[column]! } : {}),
    }));
}

function sameOnCommonColumns(x: RowValues, y: RowValues): boolean {
  return Object.keys(x).every((column) => !(column in y) || sameSqlValue(x[column]!, y[column]!));
}

/** Columns of the ancestor's row that the side's row still has, with another value. */
function changedColumns(before: RowValues | undefined, after: RowValues): string[] {
  if (before === undefined) return Object.keys(after);
  return Object.keys(before).filter((column) => column in after && !sameSqlValue(before[column]!, after[column]!));
}

function columnNames(table: TableDiff): string[] {
  return table.columns.map((c) => c.name);
}

function sideRow(table: TableDiff, row: RowChange): SideRow {
  const columns = columnNames(table);
  const key = valuesOf(row.key.columns, row.key.values);
  switch (row.kind) {
    case 'insert':
      return { key, after: valuesOf(columns, row.values), changed: columns };
    case 'delete':
      return { key, before: valuesOf(columns, row.values), changed: columns };
    case 'update':
      return { key, before: valuesOf(columns, row.oldValues), after: valuesOf(columns, row.newValues), changed: row.changed.map((i) => columns[i]!) };
  }
}

function afterValues(row: RowChange): SqlValue[] {
  return row.kind === 'update' ? row.newValues : row.values;
}

function valuesOf(columns: string[], values: SqlValue[]): RowValues {
  const row: RowValues = {};
  columns.forEach((column, i) => (row[column] = values[i] ?? null));
  return row;
}
