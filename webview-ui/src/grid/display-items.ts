// Flattens a diff into the fixed-height lines of the grid (table headings, schema changes,
// column headers, rows, index/view/trigger changes), narrowed by the table choice and search.
import type { DiffResult, RowChange, TableDiff } from '../../../src/core/diff/types';
import { formatValue } from '../format-value';
import { describeSchemaChange } from '../schema-change-text';
import { extraKeyColumns, rowCells } from './row-cells';

export type DisplayItem =
  | { kind: 'table'; table: number }
  | { kind: 'schema'; table: number; change: number }
  | { kind: 'columns'; table: number }
  | { kind: 'row'; table: number; row: number }
  | { kind: 'objects' }
  | { kind: 'object'; change: number };

/** A table's index in `diff.tables`, all tables, or only the index/view/trigger changes. */
export type TableChoice = number | 'all' | 'objects';

export interface DisplayList {
  items: DisplayItem[];
  /** Changed rows shown, and changed rows in the chosen tables. */
  shownRows: number;
  totalRows: number;
}

export function buildDisplayList(diff: DiffResult, choice: TableChoice, search: string): DisplayList {
  const needle = search.trim().toLowerCase();
  const items: DisplayItem[] = [];
  let shownRows = 0;
  let totalRows = 0;
  if (choice !== 'objects') {
    diff.tables.forEach((table, t) => {
      if (choice !== 'all' && choice !== t) return;
      totalRows += table.rows.length;
      const rows = matchingRows(table, needle);
      if (needle !== '' && rows.length === 0) return;
      shownRows += rows.length;
      items.push({ kind: 'table', table: t });
      if (needle === '') table.schemaChanges.forEach((_, change) => items.push({ kind: 'schema', table: t, change }));
      if (rows.length > 0) items.push({ kind: 'columns', table: t });
      for (const row of rows) items.push({ kind: 'row', table: t, row });
    });
  }
  if (choice === 'all' || choice === 'objects') {
    const changes = diff.objectChanges
      .map((change, index) => ({ index, text: describeSchemaChange(change).join(' ').toLowerCase() }))
      .filter((c) => needle === '' || c.text.includes(needle));
    if (changes.length > 0) {
      items.push({ kind: 'objects' });
      for (const c of changes) items.push({ kind: 'object', change: c.index });
    }
  }
  return { items, shownRows, totalRows };
}

function matchingRows(table: TableDiff, needle: string): number[] {
  const extraKeys = extraKeyColumns(table);
  const rows: number[] = [];
  table.rows.forEach((row, index) => {
    if (needle === '' || searchText(table, row, extraKeys).includes(needle)) rows.push(index);
  });
  return rows;
}

const searchTexts = new WeakMap<RowChange, string>();

function searchText(table: TableDiff, row: RowChange, extraKeys: readonly string[]): string {
  let text = searchTexts.get(row);
  if (text === undefined) {
    text = rowCells(table, row, extraKeys)
      .flatMap((cell) => ('value' in cell ? [cell.value] : [cell.old, cell.new]))
      .map((value) => formatValue(value).full)
      .join('\u0000')
      .toLowerCase();
    searchTexts.set(row, text);
  }
  return text;
}
