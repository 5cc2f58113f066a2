import type { DiffOutline, RowChange, SchemaChange, SqlValue, TableDiff } from '../diff/types';
import type { RowSample, SampleRow, SchemaNote, TableChange } from './types';

/** Rows shown per kind of change (inserted, updated, deleted) and table. */
export const SAMPLE_ROWS = 3;
/** Columns shown per table; the rest are counted. */
export const SAMPLE_COLUMNS = 8;
/** Longer values are cut, ending with "…". */
export const VALUE_LENGTH = 40;

/**
 * What a diff changed, from a diff that streams its rows: `row` keeps the first rows of each kind
 * of change per table (never more), `summary` gives the tables with counts, schema changes and
 * those rows once the diff's outline is known.
 */
export function changeCollector(): { row: (table: string, change: RowChange) => void; summary: (outline: Pick<DiffOutline, 'tables' | 'objectChanges'>) => { tables: TableChange[]; otherChanges: SchemaNote[] } } {
  const firstRows = new Map<string, RowChange[]>();
  return {
    row: (table, change) => {
      const rows = firstRows.get(table) ?? [];
      if (rows.filter((r) => r.kind === change.kind).length < SAMPLE_ROWS) firstRows.set(table, [...rows, change]);
    },
    summary: (outline) => ({
      tables: outline.tables
        .filter((t) => t.schemaChanges.length > 0 || t.summary.inserts + t.summary.changes + t.summary.deletes > 0)
        .map((t) => ({
          table: t.table,
          inserted: t.summary.inserts,
          updated: t.summary.changes,
          deleted: t.summary.deletes,
          schema: mergeNotes(t.schemaChanges.flatMap(schemaNotes)),
          sample: sampleOf(t.columns, firstRows.get(t.table) ?? []),
        })),
      otherChanges: mergeNotes(outline.objectChanges.flatMap(schemaNotes)),
    }),
  };
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

/** `firstRows`: at most SAMPLE_ROWS of each kind, in the diff's order. */
function sampleOf(columns: TableDiff['columns'], firstRows: readonly RowChange[]): RowSample {
  const keyOnly = firstRows[0]?.key.columns.filter((k) => !columns.some((c) => c.name === k)) ?? [];
  const all = [...keyOnly, ...columns.map((c) => c.name)];
  const shown = all.slice(0, SAMPLE_COLUMNS);
  const rows: SampleRow[] = firstRows.map((row) => ({ change: row.kind, cells: cellsOf(row, keyOnly.length).slice(0, shown.length) }));
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
