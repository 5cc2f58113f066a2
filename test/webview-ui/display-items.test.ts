import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDisplayList } from '../../webview-ui/src/grid/display-items';
import { BLOB_PREVIEW_BYTES, formatValue } from '../../webview-ui/src/format-value';
import { blob, int, real, sampleDiff, text } from './support/sample-diffs';

test('values are shown exactly, NULL and empty text marked, long blobs shortened', () => {
  assert.deepEqual(formatValue(null), { text: 'NULL', full: 'NULL', style: 'null' });
  assert.deepEqual(formatValue(text('NULL')), { text: 'NULL', full: 'NULL', style: 'text' });
  assert.deepEqual(formatValue(text('')), { text: "''", full: "'' (empty text)", style: 'empty' });
  assert.equal(formatValue(int(-9223372036854775808n)).text, '-9223372036854775808');
  assert.equal(formatValue(real(0.1)).text, '0.1');
  assert.equal(formatValue(real(2)).text, '2.0');
  assert.equal(formatValue(real(1e300)).text, '1e+300');
  assert.equal(formatValue({ type: 'real', value: '-Infinity' }).text, '-Infinity');
  assert.deepEqual(formatValue(text('a\r\nb\nc')), { text: 'a↵b↵c', full: 'a\r\nb\nc', style: 'text' });
  const hex = '0f'.repeat(BLOB_PREVIEW_BYTES + 1);
  assert.deepEqual(formatValue(blob(hex)), { text: `x'${'0f'.repeat(BLOB_PREVIEW_BYTES)}…'`, full: `x'${hex}'`, style: 'blob' });
  assert.equal(formatValue(blob('00')).text, "x'00'");
});

test('all tables: heading, schema changes, column header and rows per table, then object changes', () => {
  const list = buildDisplayList(sampleDiff(), 'all', '');
  assert.deepEqual(
    list.items.map((i) => i.kind),
    ['table', 'schema', 'columns', 'row', 'row', 'row', 'row', 'row', 'table', 'columns', 'row', 'row', 'objects', 'object'],
  );
  assert.equal(list.shownRows, 7);
  assert.equal(list.totalRows, 7);
});

test('one table, or only the index/view/trigger changes', () => {
  assert.deepEqual(buildDisplayList(sampleDiff(), 1, '').items, [
    { kind: 'table', table: 1 },
    { kind: 'columns', table: 1 },
    { kind: 'row', table: 1, row: 0 },
    { kind: 'row', table: 1, row: 1 },
  ]);
  assert.deepEqual(buildDisplayList(sampleDiff(), 'objects', '').items, [{ kind: 'objects' }, { kind: 'object', change: 0 }]);
});

test('search keeps rows with a matching old or new cell, ignoring case, and hides other tables', () => {
  const diff = sampleDiff();
  const byNew = buildDisplayList(diff, 'all', '  EXAMPLE.com ');
  assert.deepEqual(
    byNew.items.filter((i) => i.kind === 'row'),
    [0, 2, 3].map((row) => ({ kind: 'row', table: 0, row })),
  );
  assert.equal(byNew.shownRows, 3);
  const byOld = buildDisplayList(diff, 'all', 'old.example');
  assert.deepEqual(byOld.items, [{ kind: 'table', table: 0 }, { kind: 'columns', table: 0 }, { kind: 'row', table: 0, row: 3 }]);
  assert.deepEqual(buildDisplayList(diff, 'all', '9007199254740993').items.at(-1), { kind: 'row', table: 1, row: 0 });
  assert.deepEqual(buildDisplayList(diff, 'all', 'users_email').items, [{ kind: 'objects' }, { kind: 'object', change: 0 }]);
  assert.deepEqual(buildDisplayList(diff, 'all', 'no such text').items, []);
});
