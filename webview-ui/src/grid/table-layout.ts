// Pixel widths of a table's grid columns: a narrow change-marker column, then one per value.
import type { TableDiff } from '../../../src/core/diff/types';
import { columnWidthsCh } from './column-widths';
import { extraKeyColumns } from './row-cells';

export interface TableLayout {
  extraKeys: string[];
  /** CSS grid-template-columns for the table's rows. */
  template: string;
  widthPx: number;
}

const MARKER_PX = 28;
/** A cell's left and right padding and right border (styles.css), plus a pixel of slack. */
const CELL_CHROME_PX = 18;

export function tableLayout(table: TableDiff, charWidthPx: number): TableLayout {
  const extraKeys = extraKeyColumns(table);
  const widths = columnWidthsCh(table, extraKeys).map((ch) => Math.ceil(ch * charWidthPx) + CELL_CHROME_PX);
  return {
    extraKeys,
    template: [MARKER_PX, ...widths].map((px) => `${px}px`).join(' '),
    widthPx: widths.reduce((sum, px) => sum + px, MARKER_PX),
  };
}
