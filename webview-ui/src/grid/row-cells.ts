// The cells of one changed row, in display order: key columns that are not table columns (rowid)
// first, then the table's columns. An updated cell carries both its old and its new value.
import type { RowChange, SqlValue, TableDiff } from '../../../src/core/diff/types';

export type RowCell = { value: SqlValue } | { old: SqlValue; new: SqlValue };

/** Key columns shown in front of the table's own columns, e.g. ['rowid'] for rowid tables. */
export function extraKeyColumns(table: TableDiff): string[] {
  const first = table.rows[0];
  if (first === undefined) return [];
  const names = new Set(table.columns.map((c) => c.name.toLowerCase()));
  return first.key.columns.filter((name) => !names.has(name.toLowerCase()));
}

export function rowCells(table: TableDiff, row: RowChange, extraKeys: readonly string[]): RowCell[] {
  const cells: RowCell[] = extraKeys.map((name) => ({ value: keyValue(row, name) }));
  const changed = row.kind === 'update' ? new Set(row.changed) : undefined;
  for (let i = 0; i < table.columns.length; i++) {
    if (row.kind === 'update') {
      const newValue = row.newValues[i] ?? null;
      cells.push(changed?.has(i) ? { old: row.oldValues[i] ?? null, new: newValue } : { value: newValue });
    } else {
      cells.push({ value: row.values[i] ?? null });
    }
  }
  return cells;
}

function keyValue(row: RowChange, name: string): SqlValue {
  const index = row.key.columns.indexOf(name);
  return index < 0 ? null : (row.key.values[index] ?? null);
}
