// Column widths in characters, from the header and a sample of the rows, so columns line up
// across all rows of a table without measuring thousands of DOM nodes.
import type { TableDiff } from '../../src/core/diff/types';
import { formatValue } from './format-value';
import { rowCells } from './row-cells';

const SAMPLE_ROWS = 200;
const MIN_CH = 4;
const MAX_CH = 40;
/** The arrow between an old and a new value, with its margins and the values' padding. */
const ARROW_CH = 4;

export function columnWidthsCh(table: TableDiff, extraKeys: readonly string[]): number[] {
  const headers = [...extraKeys, ...table.columns.map((c) => (c.type === '' ? c.name : `${c.name} ${c.type}`))];
  const widths = headers.map((header) => header.length);
  for (const row of table.rows.slice(0, SAMPLE_ROWS)) {
    rowCells(table, row, extraKeys).forEach((cell, i) => {
      const length = 'value' in cell ? formatValue(cell.value).text.length : formatValue(cell.old).text.length + ARROW_CH + formatValue(cell.new).text.length;
      widths[i] = Math.max(widths[i] ?? 0, length);
    });
  }
  return widths.map((w) => Math.min(MAX_CH, Math.max(MIN_CH, w)));
}
