import { sameSqlValue } from '../../core/diff/sql/sql-value';
import type { SchemaChange, SqlValue } from '../../core/diff/types';
import type { Conflict, RowValues } from '../../core/merge/types';

export interface ConflictTableOptions {
  /** How many conflicts to list (20 by default); the rest are counted. */
  limit?: number;
  /** The widest a cell may be, in characters (32 by default). */
  cellWidth?: number;
}

const HEADER = ['table', 'key', 'column', 'ancestor', 'theirs', 'yours'] as const;

/**
 * Conflicts of a three-way comparison as a plain-text table (table, key, column, ancestor,
 * theirs, yours), the first `limit` of them, then "… and N more conflicts". A row conflict shows
 * the columns in which the rows differ; long cells are cut to `cellWidth`, ending with "…".
 */
export function formatConflicts(conflicts: Conflict[], options: ConflictTableOptions = {}): string {
  const limit = options.limit ?? 20;
  const width = options.cellWidth ?? 32;
  const rows = conflicts.slice(0, limit).map((c) => conflictCells(c).map((cell) => shorten(cell, width)));
  const table = [[...HEADER], ...rows];
  const widths = HEADER.map((_, i) => Math.max(...table.map((row) => length(row[i]!))));
  const lines = table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i]!))).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const more = conflicts.length - rows.length;
  if (more > 0) lines.push(`… and ${more} more ${more === 1 ? 'conflict' : 'conflicts'}`);
  return `${lines.join('\n')}\n`;
}

/** The six cells of one conflict, before shortening. */
function conflictCells(c: Conflict): string[] {
  switch (c.kind) {
    case 'same-cell':
      return [c.table, keyText(c.key), c.column, valueText(c.ancestor), cellOrDropped(c.theirs), cellOrDropped(c.yours)];
    case 'deleted-by-theirs-changed-by-yours':
      return [c.table, keyText(c.key), changedColumns(c.ancestor, c.yours), rowText(c.ancestor, c.ancestor, c.yours), 'deleted', rowText(c.yours, c.ancestor, c.yours)];
    case 'changed-by-theirs-deleted-by-yours':
      return [c.table, keyText(c.key), changedColumns(c.ancestor, c.theirs), rowText(c.ancestor, c.ancestor, c.theirs), rowText(c.theirs, c.ancestor, c.theirs), 'deleted'];
    case 'insert-same-key':
      return [c.table, keyText(c.key), changedColumns(c.theirs, c.yours), '(none)', rowText(c.theirs, c.theirs, c.yours), rowText(c.yours, c.theirs, c.yours)];
    case 'schema-both':
      return [c.table, '', '(schema)', '', schemaText(c.theirs), schemaText(c.yours)];
  }
}

function keyText(key: RowValues): string {
  return Object.entries(key)
    .map(([column, value]) => `${column}=${valueText(value)}`)
    .join(', ');
}

function cellOrDropped(value: SqlValue | undefined): string {
  return value === undefined ? '(column dropped)' : valueText(value);
}

/** The columns in which two rows differ, or "(row)" when they do not (or one is missing). */
function changedColumns(x: RowValues | undefined, y: RowValues | undefined): string {
  const columns = differingColumns(x, y);
  return columns.length > 0 ? columns.join(', ') : '(row)';
}

/** A row shown by the cells in which the two compared rows differ (all of it if none differ). */
function rowText(row: RowValues | undefined, x: RowValues | undefined, y: RowValues | undefined): string {
  if (row === undefined) return '(none)';
  const columns = differingColumns(x, y);
  const shown = columns.length > 0 ? columns.filter((c) => c in row) : Object.keys(row);
  return shown.map((c) => `${c}=${valueText(row[c]!)}`).join(', ');
}

function differingColumns(x: RowValues | undefined, y: RowValues | undefined): string[] {
  if (x === undefined || y === undefined) return [];
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((c) => !(c in x) || !(c in y) || !sameSqlValue(x[c]!, y[c]!));
}

/** A value as people read it: NULL, 42, 1.5, 'text' (control characters escaped), x'00ff'. */
export function valueText(value: SqlValue): string {
  if (value === null) return 'NULL';
  switch (value.type) {
    case 'integer':
      return value.value;
    case 'real':
      return String(value.value);
    case 'text':
      // eslint-disable-next-line no-control-regex -- control characters are what it escapes
      return `'${value.value.replaceAll("'", "''").replace(/[\x00-\x1f\x7f]/g, (ch) => (ch === '\n' ? '\\n' : ch === '\t' ? '\\t' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`))}'`;
    case 'blob':
      return `x'${value.hex}'`;
  }
}

function schemaText(changes: SchemaChange[]): string {
  return changes.map(schemaChangeText).join('; ');
}

function schemaChangeText(change: SchemaChange): string {
  switch (change.kind) {
    case 'table-added':
      return 'table created';
    case 'table-dropped':
      return 'table dropped';
    case 'columns-added':
      return `added ${change.columns.map((c) => c.name).join(', ')}`;
    case 'table-recreated': {
      const parts = [...(change.droppedColumns.length ? [`dropped ${change.droppedColumns.join(', ')}`] : []), ...(change.addedColumns.length ? [`added ${change.addedColumns.join(', ')}`] : [])];
      return parts.length > 0 ? parts.join(', ') : 'table redefined';
    }
    default:
      return `${change.kind.replace('-', ' ')} ${change.name}`;
  }
}

/** Cuts a cell to `width` characters, ending with "…" (a quoted text keeps its closing quote). */
function shorten(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  const quoted = text.startsWith("'") && text.endsWith("'");
  return `${chars.slice(0, width - (quoted ? 2 : 1)).join('')}…${quoted ? "'" : ''}`;
}

function length(text: string): number {
  return [...text].length;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(width - length(text));
}
