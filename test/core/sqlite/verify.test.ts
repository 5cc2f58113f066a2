import assert from 'node:assert/strict';
import { copyFileSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CheckScriptFailedError, DatabaseIntegrityError } from '../../../src/core/sqlite/errors';
import { verifyDatabase } from '../../../src/core/sqlite/verify';
import { createDb, fingerprint, tempDir } from './fixtures';

const SCHEMA = `PRAGMA foreign_keys=OFF;
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));
INSERT INTO users VALUES (1, 'ada');
INSERT INTO orders VALUES (1, 1);`;

describe('verifyDatabase', () => {
  const dir = tempDir();
  const good = createDb(join(dir, 'good.db'), SCHEMA);

  it('passes a healthy database without changing it', async () => {
    const before = fingerprint(good);
    assert.deepEqual(await verifyDatabase(good), {});
    assert.deepEqual(fingerprint(good), before);
  });

  it('reports a foreign key violation as an integrity error naming the table', async () => {
    const db = createDb(join(dir, 'fk.db'), `${SCHEMA}\nINSERT INTO orders VALUES (2, 99);`);
    await assert.rejects(verifyDatabase(db), (e: unknown) => {
      assert.ok(e instanceof DatabaseIntegrityError);
      assert.equal(e.kind, 'integrity');
      assert.equal(e.problems.length, 1);
      assert.match(e.problems[0] ?? '', /row 2 of table orders refers to a missing row in users/);
      return true;
    });
  });

  it('reports garbage written into a page', async () => {
    const db = join(dir, 'garbage.db');
    createDb(db, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO t (v) SELECT printf('%.100c', 'x') FROM n;`);
    const fd = openSync(db, 'r+');
    writeSync(fd, Buffer.alloc(1000, 0xff), 0, 1000, 4096 * 2 + 2000);
    closeSync(fd);
    await assert.rejects(verifyDatabase(db), (e: unknown) => e instanceof DatabaseIntegrityError && /page 3/i.test(e.message));
  });

  it('checks indexes against their tables by default; "quick" skips that, and still checks foreign keys', async () => {
    // The index holds column a, but the schema now says it indexes b.
    const db = createDb(join(dir, 'index.db'), `${SCHEMA}
      CREATE TABLE t (a, b); CREATE INDEX t_b ON t (a); INSERT INTO t VALUES (1, 10), (2, 20);
      PRAGMA writable_schema=ON; UPDATE sqlite_master SET sql = 'CREATE INDEX t_b ON t (b)' WHERE name = 't_b'; PRAGMA writable_schema=OFF;`);
    await assert.rejects(verifyDatabase(db), (e: unknown) => e instanceof DatabaseIntegrityError && /row 1 missing from index t_b/.test(e.message));
    await assert.rejects(verifyDatabase(db, { mode: 'full' }), DatabaseIntegrityError);
    assert.deepEqual(await verifyDatabase(db, { mode: 'quick' }), {});
    const fk = createDb(join(dir, 'quick-fk.db'), `${SCHEMA}\nINSERT INTO orders VALUES (2, 99);`);
    await assert.rejects(verifyDatabase(fk, { mode: 'quick' }), (e: unknown) => e instanceof DatabaseIntegrityError && /row 2 of table orders/.test(e.message));
  });

  it('runs a check script with the database path and returns its output', async () => {
    const script = join(dir, 'check_ok.py');
    writeFileSync(script, 'import sqlite3, sys\nprint("users:", sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM users").fetchone()[0])\n');
    const result = await verifyDatabase(good, { checkScript: script, timeoutMs: 30_000 });
    assert.equal(result.checkScript?.stdout, 'users: 1');
  });

  it('fails with the output of a check script that exits non-zero', async () => {
    const db = join(dir, 'copy.db');
    copyFileSync(good, db);
    const script = join(dir, 'check_fail.py');
    writeFileSync(script, 'import sys\nprint("looked at", sys.argv[1])\nsys.exit("orders must not be empty")\n');
    await assert.rejects(verifyDatabase(db, { checkScript: script, timeoutMs: 30_000 }), (e: unknown) => {
      assert.ok(e instanceof CheckScriptFailedError);
      assert.equal(e.kind, 'verification');
      assert.equal(e.exitCode, 1);
      assert.equal(e.stdout, `looked at ${db}`);
      assert.match(e.message, /check_fail\.py rejected .*copy\.db: it exited with code 1\.\norders must not be empty/);
      return true;
    });
  });

  it('stops a check script that runs past its time limit', async () => {
    const script = join(dir, 'check_hang.py');
    writeFileSync(script, 'import time\ntime.sleep(60)\n');
    const started = Date.now();
    await assert.rejects(verifyDatabase(good, { checkScript: script, timeoutMs: 1500 }), (e: unknown) => e instanceof CheckScriptFailedError && /did not finish within 1500 ms/.test(e.message));
    assert.ok(Date.now() - started < 20_000);
  });
});
