// Column widths in characters, from the header and a sample of rows spread over the whole table,
// so columns line up across all rows of a table without measuring thousands of DOM nodes.
import type { TableDiff } from '../../../src/core/diff/types';
import { formatValue } from '../format-value';
import { rowCells } from './row-cells';

const SAMPLE_ROWS = 200;
const MIN_CH = 4;
const MAX_CH = 40;
/** The arrow between an old and a new value, with its margins and the values' padding. */
const ARROW_CH = 4;

export function columnWidthsCh(table: TableDiff, extraKeys: readonly string[]): number[] {
  const headers = [...extraKeys, ...table.columns.map((c) => (c.type === '' ? c.name : `${c.name} ${c.type}`))];
  const widths = headers.map((header) => header.length);
  for (const row of sampleRows(table)) {
    rowCells(table, row, extraKeys).forEach((cell, i) => {
      const length = 'value' in cell ? formatValue(cell.value).text.length : formatValue(cell.old).text.length + ARROW_CH + formatValue(cell.new).text.length;
      widths[i] = Math.max(widths[i] ?? 0, length);
    });
  }
  return widths.map((w) => Math.min(MAX_CH, Math.max(MIN_CH, w)));
}

function sampleRows(table: TableDiff): TableDiff['rows'] {
  const { rows } = table;
  if (rows.length <= SAMPLE_ROWS) return rows;
  const stride = (rows.length - 1) / (SAMPLE_ROWS - 1);
  return Array.from({ length: SAMPLE_ROWS }, (_, i) => rows[Math.round(i * stride)]!);
}
