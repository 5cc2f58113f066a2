import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { changeCollector, displayValue, SAMPLE_COLUMNS, SAMPLE_ROWS, VALUE_LENGTH } from '../../../src/core/check/changes';
import { runDiff } from '../../../src/core/diff/diff-engine';
import { applyToCopy, sqlite3, tempFolder } from '../diff/helpers';

describe('what a check reports of the changes: counts, schema, first rows', () => {
  const folder = tempFolder();
  const before_ = folder.path('before.db');
  before(() => {
    const wide = Array.from({ length: 10 }, (_, i) => `c${i} INTEGER DEFAULT ${i}`).join(', ');
    sqlite3(
      before_,
      `CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) INSERT INTO users SELECT i, 'user ' || i FROM n;
       CREATE TABLE notes(body TEXT);
       INSERT INTO notes VALUES ('first');
       CREATE TABLE wide(id INTEGER PRIMARY KEY, ${wide});
       CREATE TABLE old_stuff(x);
       CREATE VIEW named AS SELECT name FROM users;`,
    );
  });
  after(() => folder.cleanup());

  async function changes(sql: string) {
    const after_ = applyToCopy(before_, sql, folder.path(`after-${Math.random().toString(36).slice(2)}.db`));
    const collector = changeCollector();
    return collector.summary(await runDiff(before_, after_, {}, { row: collector.row }));
  }

  it('counts rows per table and shows the first few of each kind of change, changed cells with their old value', async () => {
    const { tables } = await changes(
      "DELETE FROM users WHERE id > 6; UPDATE users SET name = upper(name) WHERE id <= 5; INSERT INTO users VALUES (20, 'x'), (21, 'y'), (22, 'z'), (23, 'w');",
    );
    assert.deepEqual(tables.map((t) => [t.table, t.inserted, t.updated, t.deleted]), [['users', 4, 5, 4]]);
    const sample = tables[0]!.sample;
    assert.deepEqual(sample.columns, ['id', 'name']);
    assert.deepEqual(
      sample.rows.map((r) => r.change),
      [...Array(SAMPLE_ROWS).fill('delete'), ...Array(SAMPLE_ROWS).fill('update'), ...Array(SAMPLE_ROWS).fill('insert')],
    );
    assert.deepEqual(sample.rows.find((r) => r.change === 'update')?.cells, [{ value: '1' }, { value: "'USER 1'", before: "'user 1'" }]);
    assert.deepEqual(sample.rows.find((r) => r.change === 'delete')?.cells, [{ value: '7' }, { value: "'user 7'" }]);
  });

  it('shows the rowid of a table without a primary key first', async () => {
    const { tables } = await changes("INSERT INTO notes VALUES ('second');");
    assert.deepEqual(tables[0]?.sample.columns, ['rowid', 'body']);
    assert.deepEqual(tables[0]?.sample.rows[0]?.cells, [{ value: '2' }, { value: "'second'" }]);
  });

  it('keeps wide tables narrow and counts the columns left out', async () => {
    const { tables } = await changes('INSERT INTO wide(id) VALUES (1);');
    assert.equal(tables[0]?.sample.columns.length, SAMPLE_COLUMNS);
    assert.equal(tables[0]?.sample.hiddenColumns, 11 - SAMPLE_COLUMNS);
    assert.equal(tables[0]?.sample.rows[0]?.cells.length, SAMPLE_COLUMNS);
  });

  it('names schema changes per table, merged by kind, and those of views apart', async () => {
    const { tables, otherChanges } = await changes(
      'ALTER TABLE users ADD COLUMN email TEXT; ALTER TABLE users ADD COLUMN age; CREATE INDEX a ON users(email); CREATE INDEX b ON users(age);' +
        'DROP TABLE old_stuff; CREATE TABLE fresh(k TEXT PRIMARY KEY); DROP VIEW named; CREATE VIEW counted AS SELECT count(*) FROM users;',
    );
    assert.deepEqual(
      tables.map((t) => [t.table, t.schema]),
      [
        ['fresh', [{ what: 'new table', names: [] }]],
        ['old_stuff', [{ what: 'table dropped', names: [] }]],
        ['users', [{ what: 'columns added', names: ['email TEXT', 'age'] }, { what: 'indexes added', names: ['a', 'b'] }]],
      ],
    );
    assert.deepEqual(otherChanges, [
      { what: 'views dropped', names: ['named'] },
      { what: 'views added', names: ['counted'] },
    ]);
  });

  it('leaves out tables the scripts did not change', async () => {
    assert.deepEqual((await changes("UPDATE users SET name = 'same' WHERE 0;")).tables, []);
  });
});

describe('displayValue', () => {
  it('writes each kind of value as SQL people read it', () => {
    assert.equal(displayValue(null), 'NULL');
    assert.equal(displayValue({ type: 'integer', value: '9007199254740993' }), '9007199254740993');
    assert.equal(displayValue({ type: 'real', value: 1.5 }), '1.5');
    assert.equal(displayValue({ type: 'real', value: '-Infinity' }), '-Infinity');
    assert.equal(displayValue({ type: 'text', value: "it's" }), "'it''s'");
    assert.equal(displayValue({ type: 'blob', hex: '00ff' }), "x'00ff'");
  });

  it('escapes control characters, so a value stays on one line', () => {
    assert.equal(displayValue({ type: 'text', value: 'a\nb\tc\u0001' }), "'a\\nb\\tc\\x01'");
  });

  it(`cuts values longer than ${VALUE_LENGTH} characters, never inside a character`, () => {
    const long = displayValue({ type: 'text', value: '😀'.repeat(100) });
    assert.equal(Array.from(long).length, VALUE_LENGTH);
    assert.ok(long.endsWith('😀…'));
    assert.equal(displayValue({ type: 'blob', hex: 'ab'.repeat(100) }), `x'${'ab'.repeat(18)}a…`);
  });
});
