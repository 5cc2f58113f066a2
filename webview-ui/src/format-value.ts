// How one SQLite value reads in the grid: the exact value as text, with NULL, empty text and
// blobs marked so they cannot be mistaken for ordinary text.
import type { SqlValue } from '../../src/core/diff/types';

export type ValueStyle = 'null' | 'integer' | 'real' | 'text' | 'empty' | 'blob';

export interface FormattedValue {
  /** What the cell shows (single line; long blobs shortened). */
  text: string;
  /** The exact value, for the tooltip and for search. */
  full: string;
  style: ValueStyle;
}

/** Blobs longer than this many bytes are shortened in the cell (the tooltip has all of it). */
export const BLOB_PREVIEW_BYTES = 16;

export function formatValue(value: SqlValue): FormattedValue {
  if (value === null) return { text: 'NULL', full: 'NULL', style: 'null' };
  switch (value.type) {
    case 'integer':
      return { text: value.value, full: value.value, style: 'integer' };
    case 'real': {
      const text = formatReal(value.value);
      return { text, full: text, style: 'real' };
    }
    case 'text':
      if (value.value === '') return { text: "''", full: "'' (empty text)", style: 'empty' };
      return { text: value.value.replace(/\r\n|\r|\n/g, '↵'), full: value.value, style: 'text' };
    case 'blob': {
      const full = `x'${value.hex}'`;
      const previewHex = BLOB_PREVIEW_BYTES * 2;
      const text = value.hex.length > previewHex ? `x'${value.hex.slice(0, previewHex)}…'` : full;
      return { text, full, style: 'blob' };
    }
  }
}

// JavaScript prints the shortest text that reads back as the same double, which is exact; a
// whole number gets ".0" so that a REAL never looks like an INTEGER.
function formatReal(value: number | 'Infinity' | '-Infinity'): string {
  if (typeof value !== 'number') return value;
  const text = String(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}
