import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DiffResult, RowChange, TableDiff } from '../../../src/core/diff/types';
import { findOverlap, formatOverlap, hasOverlap } from '../../../src/core/sync/overlap';

const int = (n: number) => ({ type: 'integer' as const, value: String(n) });
const row = (kind: 'insert' | 'delete', id: number): RowChange => ({ kind, key: { columns: ['id'], values: [int(id)] }, values: [int(id)] });
const table = (name: string, rows: RowChange[], schemaChanged = false): TableDiff => ({
  table: name,
  columns: [],
  schemaChanges: schemaChanged ? [{ kind: 'table-recreated', oldSql: '', newSql: '', droppedColumns: [], addedColumns: [] }] : [],
  rows,
  summary: { changes: 0, inserts: 0, deletes: 0, unchanged: 0 },
});
const diff = (...tables: TableDiff[]): DiffResult => ({ a: 'a', b: 'b', tables, objectChanges: [], sql: '' });

test('rows changed on both sides are reported by table and key', () => {
  const report = findOverlap(diff(table('users', [row('delete', 1), row('insert', 2)])), diff(table('users', [row('insert', 2), row('insert', 3)])));
  assert.deepEqual(report, { schemaTables: [], rows: [{ table: 'users', keys: ['id=2'] }] });
  assert.ok(hasOverlap(report));
  assert.match(formatOverlap(report), /table users: 1 row\(s\) changed on both sides: id=2/);
});

test('changes to different tables or rows do not overlap', () => {
  assert.equal(hasOverlap(findOverlap(diff(table('users', [row('insert', 1)])), diff(table('orders', [row('insert', 1)])))), false);
  assert.equal(hasOverlap(findOverlap(diff(table('users', [row('insert', 1)])), diff(table('users', [row('insert', 2)])))), false);
});

test('a schema changed on both sides is reported once, without its rows', () => {
  const report = findOverlap(diff(table('users', [row('insert', 1)], true)), diff(table('users', [row('insert', 1)], true)));
  assert.deepEqual(report, { schemaTables: ['users'], rows: [] });
});
