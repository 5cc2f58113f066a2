import type { Database, Statement } from 'sql.js';
import { dumpQuery, pairingsOf, rowQueries, type Pairing } from './row-queries';
import type { TableSchema } from './schema/schema-reader';
import { readRow, sameSqlValue } from './sql/sql-value';
import type { Rowid } from './pages/shared-pages';
import type { AddedColumn } from './table-plan';
import type { RowChange, SqlValue, TextEncoding } from './types';

/** Rowids per query: small enough to pause often (progress, cancellation), big enough to be cheap. */
const ROWIDS_PER_QUERY = 20_000;

/**
 * Which rows to look at: all of them; the rowids of A and of B that may differ (partners are still
 * looked up by key); or, where rows pair by rowid, exactly which rowids were deleted, inserted or
 * may be updated (then no partner needs looking up in the other file).
 */
export type RowScope =
  | { kind: 'all' }
  | { kind: 'candidates'; rowidsA: Rowid[]; rowidsB: Rowid[] }
  | { kind: 'exact'; deletes: Rowid[]; updates: Rowid[]; inserts: Rowid[] };

function rowidsFor(scope: RowScope, kind: keyof RowCounts): Rowid[] | undefined {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'candidates':
      return kind === 'inserts' ? scope.rowidsB : scope.rowidsA;
    case 'exact':
      return scope[kind];
  }
}

export interface RowCounts {
  deletes: number;
  updates: number;
  inserts: number;
}

/** Where rows are read: A attached as main and B as aux, both in one text encoding. */
export interface RowSource {
  db: Database;
  encoding: TextEncoding;
}

/** Called between batches: reports progress, lets other work (and cancellation) in, may throw. */
export type Pause = () => Promise<void>;

/** With `emit`, every changed row is read and handed over; without it rows are only counted. */
export async function compareRows(
  source: RowSource,
  a: TableSchema,
  b: TableSchema,
  addedColumns: AddedColumn[],
  scope: RowScope,
  pause: Pause,
  emit?: (change: RowChange) => void,
): Promise<RowCounts> {
  const counts: RowCounts = { deletes: 0, updates: 0, inserts: 0 };
  const initials = addedColumns.map((c) => c.initial);
  for (const pairing of pairingsOf(a)) {
    const queries = rowQueries(a, b, addedColumns, pairing, scope.kind, source.encoding);
    const keyLength = pairing.keyColumns.length;
    const toChange = {
      deletes: (row: SqlValue[]): RowChange => ({
        kind: 'delete',
        key: keyOf(pairing, row),
        values: [...row.slice(keyLength), ...initials],
      }),
      updates: (row: SqlValue[]): RowChange => {
        const oldValues = [...row.slice(keyLength, keyLength + a.columns.length), ...initials];
        const newValues = row.slice(keyLength + a.columns.length);
        const changed = newValues.flatMap((v, i) => (sameSqlValue(v, oldValues[i]!) ? [] : [i]));
        return { kind: 'update', key: keyOf(pairing, row), oldValues, newValues, changed };
      },
      inserts: (row: SqlValue[]): RowChange => ({ kind: 'insert', key: keyOf(pairing, row), values: row.slice(keyLength) }),
    };
    for (const kind of ['deletes', 'updates', 'inserts'] as const) {
      counts[kind] += await runChunked(source, queries[kind], rowidsFor(scope, kind), pause, emit && ((row) => emit(toChange[kind](row))));
    }
  }
  return counts;
}

/** Every row of B's table, as inserts (for a table that is created or recreated). */
export async function dumpRows(source: RowSource, b: TableSchema, pause: Pause, emit?: (change: RowChange) => void): Promise<number> {
  const key = b.key;
  const byRowid = key?.kind === 'rowid';
  const keyIndexes = key?.kind === 'pk' ? key.columns.map((name) => b.columns.findIndex((c) => c.name === name)) : [];
  const toChange = (row: SqlValue[]): RowChange => {
    const values = byRowid ? row.slice(1) : row;
    const keyValues = byRowid ? row.slice(0, 1) : keyIndexes.map((i) => values[i]!);
    return { kind: 'insert', key: { columns: key?.columns ?? [], values: keyValues }, values };
  };
  return runChunked(source, dumpQuery(b), undefined, pause, emit && ((row) => emit(toChange(row))));
}

function keyOf(pairing: Pairing, row: SqlValue[]) {
  return { columns: pairing.keyColumns, values: row.slice(0, pairing.keyColumns.length) };
}

/** Runs a query (per chunk of rowids if given), handing rows to `onRow` or only counting them. */
async function runChunked(
  { db, encoding }: RowSource,
  sql: string,
  rowids: Rowid[] | undefined,
  pause: Pause,
  onRow?: (row: SqlValue[]) => void,
): Promise<number> {
  if (rowids !== undefined && rowids.length === 0) return 0;
  const stmt = db.prepare(onRow ? sql : `SELECT count(*) FROM (${sql})`);
  try {
    if (rowids === undefined) return await drain(stmt, encoding, pause, onRow);
    let total = 0;
    for (let start = 0; start < rowids.length; start += ROWIDS_PER_QUERY) {
      stmt.bind([`[${rowids.slice(start, start + ROWIDS_PER_QUERY).join(',')}]`]);
      total += await drain(stmt, encoding, pause, onRow);
      stmt.reset();
      await pause();
    }
    return total;
  } finally {
    stmt.free();
  }
}

async function drain(stmt: Statement, encoding: TextEncoding, pause: Pause, onRow?: (row: SqlValue[]) => void): Promise<number> {
  if (!onRow) return stmt.step() ? Number(stmt.get()[0]) : 0;
  let rows = 0;
  while (stmt.step()) {
    onRow(readRow(stmt, encoding));
    if (++rows % 5000 === 0) await pause();
  }
  return rows;
}
