import type { DiffResult, RowChange, SchemaChange, SqlValue, TableDiff } from '../diff/types';
import type { RowSample, SampleRow, SchemaNote, TableChange } from './types';

/** Rows shown per kind of change (inserted, updated, deleted) and table. */
export const SAMPLE_ROWS = 3;
/** Columns shown per table; the rest are counted. */
export const SAMPLE_COLUMNS = 8;
/** Longer values are cut, ending with "…". */
export const VALUE_LENGTH = 40;

/** The tables a diff changed, with counts, schema changes and the first rows of each change. */
export function summariseChanges(diff: DiffResult): { tables: TableChange[]; otherChanges: SchemaNote[] } {
  const tables = diff.tables
    .filter((t) => t.schemaChanges.length > 0 || t.summary.inserts + t.summary.changes + t.summary.deletes > 0)
    .map((t) => ({
      table: t.table,
      inserted: t.summary.inserts,
      updated: t.summary.changes,
      deleted: t.summary.deletes,
      schema: mergeNotes(t.schemaChanges.flatMap(schemaNotes)),
      sample: sampleOf(t),
    }));
  return { tables, otherChanges: mergeNotes(diff.objectChanges.flatMap(schemaNotes)) };
}

function schemaNotes(change: SchemaChange): SchemaNote[] {
  switch (change.kind) {
    case 'table-added':
      return [{ what: 'new table', names: [] }];
    case 'table-dropped':
      return [{ what: 'table dropped', names: [] }];
    case 'columns-added':
      return [{ what: 'columns added', names: change.columns.map((c) => (c.type ? `${c.name} ${c.type}` : c.name)) }];
    case 'table-recreated':
      return [
        { what: 'table rebuilt', names: [] },
        ...(change.droppedColumns.length ? [{ what: 'columns dropped', names: change.droppedColumns }] : []),
        ...(change.addedColumns.length ? [{ what: 'columns added', names: change.addedColumns }] : []),
      ];
    default: {
      const [object = '', action = ''] = change.kind.split('-');
      return [{ what: `${object === 'index' ? 'indexes' : `${object}s`} ${action}`, names: [change.name] }];
    }
  }
}

/** One note per kind of change: "indexes added: a, b" rather than two lines. */
function mergeNotes(notes: SchemaNote[]): SchemaNote[] {
  const merged = new Map<string, SchemaNote>();
  for (const note of notes) {
    const known = merged.get(note.what);
    if (known) known.names.push(...note.names);
    else merged.set(note.what, { what: note.what, names: [...note.names] });
  }
  return [...merged.values()];
}

function sampleOf(t: TableDiff): RowSample {
  const keyOnly = t.rows[0]?.key.columns.filter((k) => !t.columns.some((c) => c.name === k)) ?? [];
  const all = [...keyOnly, ...t.columns.map((c) => c.name)];
  const shown = all.slice(0, SAMPLE_COLUMNS);
  const taken = { insert: 0, update: 0, delete: 0 };
  const rows: SampleRow[] = [];
  for (const row of t.rows) {
    if (taken[row.kind] >= SAMPLE_ROWS) continue;
    taken[row.kind]++;
    rows.push({ change: row.kind, cells: cellsOf(row, keyOnly.length).slice(0, shown.length) });
  }
  return { columns: shown, hiddenColumns: all.length - shown.length, rows };
}

function cellsOf(row: RowChange, keyOnly: number): SampleRow['cells'] {
  const key = row.key.values.slice(0, keyOnly).map((v) => ({ value: displayValue(v) }));
  if (row.kind !== 'update') return [...key, ...row.values.map((v) => ({ value: displayValue(v) }))];
  return [
    ...key,
    ...row.newValues.map((v, i) => (row.changed.includes(i) ? { value: displayValue(v), before: displayValue(row.oldValues[i] ?? null) } : { value: displayValue(v) })),
  ];
}

/** A value for people: NULL, 42, 1.5, 'text' (control characters escaped), x'0a1b'; cut at VALUE_LENGTH. */
export function displayValue(value: SqlValue): string {
  if (value === null) return 'NULL';
  switch (value.type) {
    case 'integer':
      return shorten(value.value);
    case 'real':
      return shorten(String(value.value));
    case 'text':
      return shorten(`'${escapeControls(value.value.replaceAll("'", "''"))}'`);
    case 'blob':
      return shorten(`x'${value.hex}'`);
  }
}

function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it replaces
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function shorten(text: string): string {
  const chars = Array.from(text);
  return chars.length <= VALUE_LENGTH ? text : `${chars.slice(0, VALUE_LENGTH - 1).join('')}…`;
}
