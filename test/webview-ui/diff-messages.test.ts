import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiffResult } from '../../src/core/diff/types';
import { diffMessages } from '../../src/extension/webview/diff-messages';
import type { HostMessage } from '../../webview-ui/src/protocol';
import { isHostMessage, isWebviewMessage } from '../../webview-ui/src/protocol';
import { largeDiff, sampleDiff } from './support/sample-diffs';

/** Puts chunked rows back together the way the webview does. */
function reassemble(messages: HostMessage[]): DiffResult {
  const [first, ...rest] = messages;
  assert.equal(first?.type, 'showDiff');
  if (first?.type !== 'showDiff') throw new Error('unreachable');
  const diff = structuredClone(first.diff);
  for (const message of rest) {
    assert.equal(message.type, 'rows');
    if (message.type === 'rows') diff.tables.find((t) => t.table === message.table)!.rows.push(...message.rows);
  }
  return diff;
}

test('a small diff goes in one message', () => {
  const diff = sampleDiff();
  assert.deepEqual(diffMessages(diff), [{ type: 'showDiff', diff, pendingRows: 0 }]);
});

test('a large diff is split into chunks that add up to the same diff, the last marked done', () => {
  const diff = largeDiff(12_345);
  diff.tables.push({ ...sampleDiff().tables[1]! });
  const messages = diffMessages(diff, 1000);
  assert.equal(messages.length, 14);
  assert.ok(messages.every((m) => m.type !== 'rows' || m.rows.length <= 1000));
  const first = messages[0];
  assert.equal(first?.type === 'showDiff' && first.pendingRows, 12_345 + 2 - 1000);
  assert.deepEqual(
    messages.map((m) => m.type === 'rows' && m.done),
    [...Array(13).fill(false), true],
  );
  assert.deepEqual(reassemble(messages), diff);
  assert.ok(messages.every(isHostMessage));
});

test('rejects a chunk size below one', () => {
  assert.throws(() => diffMessages(sampleDiff(), 0), RangeError);
});

test('message guards accept the protocol and reject anything else', () => {
  assert.ok(isWebviewMessage({ type: 'ready' }));
  assert.ok(isWebviewMessage({ type: 'copySql' }));
  assert.ok(isWebviewMessage({ type: 'saveAsMigration' }));
  assert.ok(!isWebviewMessage({ type: 'deleteEverything' }));
  assert.ok(!isWebviewMessage('ready'));
  assert.ok(!isWebviewMessage(null));
  assert.ok(isHostMessage({ type: 'error', message: 'x' }));
  assert.ok(!isHostMessage({ type: 'error' }));
  assert.ok(!isHostMessage({ type: 'rows', table: 't', rows: [] }));
  assert.ok(!isHostMessage({ type: 'showDiff', diff: null, pendingRows: 0 }));
});
