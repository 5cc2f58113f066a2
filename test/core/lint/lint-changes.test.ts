import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { lintDatabases, type LintOptions, type LintWarning } from '../../../src/core/lint/index';
import { sqlite3, tempFolder } from '../diff/helpers';

const folder = tempFolder();
after(() => folder.cleanup());
let counter = 0;

/** Lints BEFORE (from `setup`) against AFTER (BEFORE plus `change`), real files through the real differ. */
async function lint(setup: string, change: string, options: LintOptions = {}): Promise<LintWarning[]> {
  const n = ++counter;
  const before = folder.path(`before${n}.db`);
  const afterPath = folder.path(`after${n}.db`);
  sqlite3(before, setup);
  copyFileSync(before, afterPath);
  sqlite3(afterPath, change);
  return lintDatabases(before, afterPath, options);
}

const short = (w: LintWarning) => `${w.kind} ${w.table}${w.column ? `.${w.column}` : ''}`;

// Ten orders, ids 1 to 10.
const ORDERS =
  "CREATE TABLE orders(id INTEGER PRIMARY KEY, customer TEXT, total REAL, status TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) INSERT INTO orders SELECT i, 'c' || i, i * 1.5, 'open' FROM n;" +
  " CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, 'a'), (2, 'b');";

describe('lint of destructive changes, measured on the result', () => {
  it('a table dropped', async () => {
    const warnings = await lint(ORDERS, 'DROP TABLE orders;');
    assert.deepEqual(warnings.map(short), ['table-dropped orders']);
    assert.equal(warnings[0]!.message, 'Table orders is dropped, with its 10 rows.');
    assert.match(warnings[0]!.hint, /b2m restore/);
  });

  it('a column dropped', async () => {
    const warnings = await lint(ORDERS, 'ALTER TABLE orders DROP COLUMN status;');
    assert.deepEqual(warnings.map(short), ['column-dropped orders.status']);
    assert.equal(warnings[0]!.message, 'Column status of table orders is dropped, with its value in 10 rows.');
  });

  it('a table rebuilt: dropped and recreated with another definition, or every row replaced', async () => {
    const recreated = await lint(ORDERS, 'CREATE TABLE o2(id INTEGER PRIMARY KEY, customer TEXT NOT NULL, total REAL, status TEXT); INSERT INTO o2 SELECT * FROM orders; DROP TABLE orders; ALTER TABLE o2 RENAME TO orders;');
    assert.deepEqual(recreated.map(short), ['table-rebuilt orders']);
    assert.equal(recreated[0]!.message, 'Table orders is rebuilt (its definition changed): 10 rows before, 10 rows after.');
    const lossy = await lint(ORDERS, 'CREATE TABLE o2(id INTEGER PRIMARY KEY, customer TEXT NOT NULL, total REAL, status TEXT); INSERT INTO o2 SELECT * FROM orders WHERE id <= 3; DROP TABLE orders; ALTER TABLE o2 RENAME TO orders;');
    assert.deepEqual(lossy.map(short), ['table-rebuilt orders', 'many-rows-deleted orders']);
    const replaced = await lint("CREATE TABLE k(code TEXT PRIMARY KEY, v); INSERT INTO k VALUES ('a', 1), ('b', 2);", "DELETE FROM k; INSERT INTO k VALUES ('x', 1), ('y', 2), ('z', 3);");
    assert.deepEqual(replaced.map(short), ['table-rebuilt k']);
    assert.equal(replaced[0]!.message, 'Every row of table k is deleted (2 rows) and 3 rows inserted instead.');
  });

  it('every row deleted (a DELETE without WHERE)', async () => {
    const warnings = await lint(ORDERS, 'DELETE FROM orders; DELETE FROM notes WHERE id = 1;');
    assert.deepEqual(warnings.map(short), ['all-rows-deleted orders']);
    assert.equal(warnings[0]!.message, 'Every row of table orders is deleted (10 rows).');
  });

  it('every row updated in one column (an UPDATE without WHERE), not for small tables nor new columns', async () => {
    const warnings = await lint(ORDERS, "UPDATE orders SET status = 'closed', total = total + 1 WHERE id > 0; UPDATE orders SET customer = 'x' WHERE id = 1; UPDATE notes SET body = 'z';");
    assert.deepEqual(warnings.map(short), ['all-rows-updated orders.total', 'all-rows-updated orders.status']);
    assert.equal(warnings[0]!.message, 'Every row of table orders (10 rows) gets a new value in column total.');
    assert.deepEqual((await lint(ORDERS, "UPDATE notes SET body = 'z';", { fewRows: 1 })).map(short), ['all-rows-updated notes.body']);
    assert.deepEqual(await lint(ORDERS, "ALTER TABLE orders ADD COLUMN region TEXT; UPDATE orders SET region = 'eu';"), []);
    assert.deepEqual(await lint(ORDERS, "UPDATE orders SET status = 'closed' WHERE id > 1;"), [], 'one row kept its value');
  });

  it('more than half of the rows deleted, or another share', async () => {
    const warnings = await lint(ORDERS, 'DELETE FROM orders WHERE id > 4;');
    assert.deepEqual(warnings.map(short), ['many-rows-deleted orders']);
    assert.equal(warnings[0]!.message, '60% of the rows of table orders are deleted (6 of 10).');
    assert.deepEqual(await lint(ORDERS, 'DELETE FROM orders WHERE id > 5;'), [], 'exactly half is not more than half');
    assert.deepEqual((await lint(ORDERS, 'DELETE FROM orders WHERE id > 7;', { deletedRowsPercent: 20 })).map(short), ['many-rows-deleted orders']);
  });

  it('nothing for ordinary changes', async () => {
    assert.deepEqual(await lint(ORDERS, "INSERT INTO orders VALUES (11, 'c', 1, 'open'); UPDATE orders SET status = 'paid' WHERE id < 4; DELETE FROM notes WHERE id = 2; CREATE TABLE fresh(x); ALTER TABLE notes ADD COLUMN tag;"), []);
  });
});
