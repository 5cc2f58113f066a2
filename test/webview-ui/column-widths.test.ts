import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnWidthsCh } from '../../webview-ui/src/grid/column-widths';
import { largeDiff, sampleDiff } from './support/sample-diffs';

test('widths fit the header and values, old → new included, within bounds', () => {
  const users = sampleDiff().tables[0]!;
  // id INTEGER | name TEXT | email: 'alice@old.example' + arrow + 'alice@example.com' | score REAL | avatar: capped
  assert.deepEqual(columnWidthsCh(users, []), [10, 28, 38, 10, 40]);
  const notes = sampleDiff().tables[1]!;
  assert.deepEqual(columnWidthsCh(notes, ['rowid']), [16, 22, 12]);
});

test('rows from the whole table are sampled, not only the first ones', () => {
  const events = largeDiff(20_000).tables[0]!;
  // 'event-20000' and 'note for row 20000' appear only near the end.
  const [, kind, , note] = columnWidthsCh(events, []);
  assert.equal(kind, 'event-20000'.length);
  assert.equal(note, 'note for row 20000'.length);
});
