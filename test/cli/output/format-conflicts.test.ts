import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatConflicts } from '../../../src/cli/format/conflicts';
import type { Conflict } from '../../../src/core/merge/types';

const int = (n: number) => ({ type: 'integer' as const, value: String(n) });
const text = (value: string) => ({ type: 'text' as const, value });

describe('formatConflicts', () => {
  it('lays conflicts out as a table: table, key, column, ancestor, theirs, yours', () => {
    const conflicts: Conflict[] = [
      { kind: 'same-cell', table: 'people', key: { id: int(1) }, column: 'age', ancestor: int(36), theirs: int(37), yours: null },
      { kind: 'same-cell', table: 'people', key: { id: int(2) }, column: 'city', ancestor: text('london'), yours: text('paris') },
      { kind: 'deleted-by-theirs-changed-by-yours', table: 'people', key: { id: int(3) }, ancestor: { id: int(3), age: int(1), city: text('a') }, yours: { id: int(3), age: int(2), city: text('a') } },
      { kind: 'changed-by-theirs-deleted-by-yours', table: 'people', key: { id: int(4) }, theirs: { id: int(4), city: text('b') } },
      { kind: 'insert-same-key', table: 'stock', key: { shop: text('a'), sku: { type: 'blob', hex: '00ff' } }, theirs: { qty: int(1), price: { type: 'real', value: 1.5 } }, yours: { qty: int(2), price: { type: 'real', value: 1.5 } } },
      {
        kind: 'schema-both',
        table: 'people',
        theirs: [{ kind: 'columns-added', columns: [{ name: 'email', type: 'TEXT', notNull: false, defaultSql: null, pk: 0 }] }],
        yours: [{ kind: 'index-added', name: 'people_age', sql: 'CREATE INDEX people_age ON people(age)' }],
      },
    ];
    const lines = formatConflicts(conflicts).split('\n');
    assert.match(lines[0]!, /^table\s+key\s+column\s+ancestor\s+theirs\s+yours$/);
    assert.match(lines[2]!, /^people\s+id=1\s+age\s+36\s+37\s+NULL$/);
    assert.match(lines[3]!, /^people\s+id=2\s+city\s+'london'\s+\(column dropped\)\s+'paris'$/);
    assert.match(lines[4]!, /^people\s+id=3\s+age\s+age=1\s+deleted\s+age=2$/);
    assert.match(lines[5]!, /^people\s+id=4\s+\(row\)\s+\(none\)\s+id=4, city='b'\s+deleted$/);
    assert.match(lines[6]!, /^stock\s+shop='a', sku=x'00ff'\s+qty\s+\(none\)\s+qty=1\s+qty=2$/);
    assert.match(lines[7]!, /^people\s+\(schema\)\s+added email\s+index added people_age$/);
    assert.equal(lines.length, 9, 'one line per conflict, header, rule and a final newline');
  });

  it('keeps columns aligned', () => {
    const lines = formatConflicts([
      { kind: 'same-cell', table: 't', key: { id: int(1) }, column: 'c', ancestor: int(1), theirs: int(2), yours: int(3) },
      { kind: 'same-cell', table: 'longer_table', key: { id: int(100) }, column: 'column_name', ancestor: int(1), theirs: int(2), yours: int(3) },
    ]).split('\n');
    assert.equal(lines[2]!.indexOf('id=1'), lines[3]!.indexOf('id=100'));
    assert.equal(lines[2]!.indexOf(' 1 '), lines[3]!.indexOf(' 1 '));
  });

  it('shortens long values and escapes control characters', () => {
    const long = 'x'.repeat(100);
    const out = formatConflicts([{ kind: 'same-cell', table: 't', key: { id: int(1) }, column: 'v', ancestor: text(`a\nb\tc\u0001`), theirs: text(long), yours: { type: 'blob', hex: 'ab'.repeat(100) } }], { cellWidth: 20 });
    const row = out.split('\n')[2]!;
    assert.match(row, /'a\\nb\\tc\\x01'/);
    assert.match(row, / 'x{17}…' /);
    assert.match(row, / x'(ab){8}a…$/);
  });

  it('lists the first 20, then counts the rest', () => {
    const many: Conflict[] = Array.from({ length: 25 }, (_, i) => ({ kind: 'same-cell', table: 't', key: { id: int(i) }, column: 'v', ancestor: int(0), theirs: int(1), yours: int(2) }));
    const lines = formatConflicts(many).trimEnd().split('\n');
    assert.equal(lines.length, 2 + 20 + 1);
    assert.match(lines[21]!, /^t\s+id=19\s/);
    assert.equal(lines[22], '… and 5 more conflicts');
    assert.equal(formatConflicts(many.slice(0, 21)).trimEnd().split('\n').pop(), '… and 1 more conflict');
    assert.equal(formatConflicts(many.slice(0, 3), { limit: 2 }).trimEnd().split('\n').pop(), '… and 1 more conflict');
  });
});
