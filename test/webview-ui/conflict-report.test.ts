// What the conflicts view is sent: the engine's conflicts gathered per row, each cell marked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conflictReport } from '../../src/extension/webview/conflict-report';
import type { RowConflict } from '../../webview-ui/src/protocol';
import { isHostMessage } from '../../webview-ui/src/protocol';
import { int, text } from './support/sample-diffs';
import { sampleComparison } from './support/sample-conflicts';

test('conflicts of one row make one entry: ancestor, theirs and yours per cell, both marked as conflicting', () => {
  const report = conflictReport(sampleComparison());
  assert.equal(report.conflicts.length, 5, 'two cells of users id=1 are one entry');
  const ann = report.conflicts[0] as RowConflict;
  assert.deepEqual(ann.key, [{ column: 'id', value: int(1) }]);
  assert.deepEqual(ann.columns, ['name', 'email']);
  assert.deepEqual(ann.ancestor, { state: 'row', cells: [{ value: text('ann'), mark: 'same' }, { value: null, mark: 'same' }] });
  assert.deepEqual(ann.theirs, { state: 'row', cells: [{ value: text('Ann B'), mark: 'conflict' }, { value: text('ann@b.example'), mark: 'conflict' }] });
  assert.deepEqual(ann.yours, { state: 'row', cells: [{ value: text('Ann A'), mark: 'conflict' }, { value: text('ann@a.example'), mark: 'conflict' }] });
  assert.deepEqual(report.theirs, [{ number: 5, author: 'carol' }, { number: 4, author: 'bob' }]);
  assert.deepEqual(report.ancestor, { number: 3, author: 'alice' });
});

test('a row deleted on one side and changed on the other marks the changed cells', () => {
  const [, bob, order] = conflictReport(sampleComparison()).conflicts as RowConflict[];
  assert.equal(bob!.what, 'they deleted it, you changed it');
  assert.deepEqual(bob!.theirs, { state: 'deleted' });
  assert.deepEqual(
    bob!.yours.state === 'row' && bob!.yours.cells.map((c) => c.mark),
    ['same', 'changed', 'same'],
  );
  assert.equal(order!.what, 'they changed it, you deleted it');
  assert.deepEqual(order!.yours, { state: 'deleted' });
  assert.deepEqual(order!.theirs.state === 'row' && order!.theirs.cells.map((c) => c.mark), ['same', 'changed']);
});

test('one key inserted on both sides: no ancestor, the differing cells conflict', () => {
  const inserted = conflictReport(sampleComparison()).conflicts[3] as RowConflict;
  assert.equal(inserted.what, 'both inserted a row with this key');
  assert.deepEqual(inserted.ancestor, { state: 'absent' });
  assert.deepEqual(inserted.yours.state === 'row' && inserted.yours.cells.map((c) => c.mark), ['same', 'conflict']);
});

test('a column one side dropped has no value there', () => {
  const report = conflictReport(
    sampleComparison([{ kind: 'same-cell', table: 't', key: { id: int(1) }, column: 'c', ancestor: int(1), yours: int(2) }]),
  );
  assert.deepEqual((report.conflicts[0] as RowConflict).theirs, { state: 'row', cells: [{ mark: 'conflict' }] });
});

test('lists the first conflicts and counts the rest; the message passes the protocol check', () => {
  const many = Array.from({ length: 250 }, (_, i) => ({ kind: 'same-cell' as const, table: 't', key: { id: int(i) }, column: 'c', ancestor: int(0), theirs: int(1), yours: int(2) }));
  const report = conflictReport(sampleComparison(many), 200);
  assert.equal(report.conflicts.length, 200);
  assert.equal(report.moreConflicts, 50);
  assert.ok(isHostMessage({ type: 'showConflicts', report }));
});
