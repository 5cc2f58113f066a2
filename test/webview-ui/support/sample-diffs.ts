// Diff results to render in the tests, built the way the diff engine reports them.
import type { ColumnInfo, DiffResult, RowChange, SqlValue, TableDiff } from '../../../src/core/diff/types';

export const int = (value: number | bigint): SqlValue => ({ type: 'integer', value: String(value) });
export const text = (value: string): SqlValue => ({ type: 'text', value });
export const real = (value: number): SqlValue => ({ type: 'real', value });
export const blob = (hex: string): SqlValue => ({ type: 'blob', hex });

export const SCRIPT_TEXT = '<img src=x onerror=alert(1)>';

function column(name: string, type: string, pk = 0): ColumnInfo {
  return { name, type, notNull: pk > 0, defaultSql: null, pk };
}

function summary(rows: RowChange[], unchanged: number): TableDiff['summary'] {
  const count = (kind: RowChange['kind']): number => rows.filter((r) => r.kind === kind).length;
  return { inserts: count('insert'), changes: count('update'), deletes: count('delete'), unchanged };
}

/** Two tables (one keyed by rowid), a schema change, an index change and a value with markup. */
export function sampleDiff(): DiffResult {
  const userColumns = [column('id', 'INTEGER', 1), column('name', 'TEXT'), column('email', 'TEXT'), column('score', 'REAL'), column('avatar', 'BLOB')];
  const key = (id: number) => ({ columns: ['id'], values: [int(id)] });
  const userRows: RowChange[] = [
    { kind: 'insert', key: key(4), values: [int(4), text('dave'), text('dave@example.com'), real(7.5), blob('89504e470d0a1a0a0000000d49484452')] },
    { kind: 'insert', key: key(5), values: [int(5), text(SCRIPT_TEXT), null, real(3), null] },
    { kind: 'delete', key: key(2), values: [int(2), text('bob'), text('bob@example.com'), real(4.25), null] },
    {
      kind: 'update',
      key: key(1),
      oldValues: [int(1), text('alice'), text('alice@old.example'), real(9.1), blob('00ff')],
      newValues: [int(1), text('alice'), text('alice@example.com'), real(9.2), blob('00ff')],
      changed: [2, 3],
    },
    {
      kind: 'update',
      key: key(3),
      oldValues: [int(3), text('carol'), null, real(1), null],
      newValues: [int(3), text('Carol'), text(''), real(1), blob('ab'.repeat(40))],
      changed: [1, 2, 4],
    },
  ];
  const noteRows: RowChange[] = [
    { kind: 'insert', key: { columns: ['rowid'], values: [int(9007199254740993n)] }, values: [text('first line\nsecond line'), int(-42)] },
    { kind: 'delete', key: { columns: ['rowid'], values: [int(7)] }, values: [text('old note'), int(0)] },
  ];
  return {
    a: 'team.db v3 (alice)',
    b: 'team.db (local)',
    tables: [
      {
        table: 'users',
        columns: userColumns,
        schemaChanges: [{ kind: 'columns-added', columns: [column('avatar', 'BLOB')] }],
        rows: userRows,
        summary: summary(userRows, 1200),
      },
      { table: 'notes', columns: [column('body', 'TEXT'), column('rank', 'INTEGER')], schemaChanges: [], rows: noteRows, summary: summary(noteRows, 10) },
    ],
    objectChanges: [{ kind: 'index-added', name: 'users_email', sql: 'CREATE INDEX users_email ON users(email)' }],
    sql: 'ALTER TABLE users ADD COLUMN avatar BLOB;\nINSERT INTO users(id,name) VALUES(4,\'dave\');\n',
  };
}

export function emptyDiff(): DiffResult {
  return { a: 'a.db', b: 'b.db', tables: [], objectChanges: [], sql: '' };
}

/** One table with `count` changed rows: inserts, updates and deletes in turn; row i has id i. */
export function largeDiff(count: number): DiffResult {
  const columns = [column('id', 'INTEGER', 1), column('kind', 'TEXT'), column('amount', 'REAL'), column('note', 'TEXT')];
  const rows: RowChange[] = [];
  for (let i = 1; i <= count; i++) {
    const key = { columns: ['id'], values: [int(i)] };
    const values = [int(i), text(`event-${i}`), real(i / 4), text(`note for row ${i}`)];
    if (i % 3 === 1) rows.push({ kind: 'insert', key, values });
    else if (i % 3 === 2) rows.push({ kind: 'delete', key, values });
    else rows.push({ kind: 'update', key, oldValues: values, newValues: [int(i), text(`event-${i}`), real(i / 2), text(`note for row ${i}`)], changed: [2] });
  }
  return {
    a: 'big.db v1',
    b: 'big.db (local)',
    tables: [{ table: 'events', columns, schemaChanges: [], rows, summary: summary(rows, 0) }],
    objectChanges: [],
    sql: '-- large',
  };
}
