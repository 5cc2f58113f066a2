import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { BadInputError, CancelledError } from '../../../src/core/errors';
import { changedKeys, diffDatabases, formatSummary, hasDifferences, writeDiffSql, type DiffResult } from '../../../src/core/diff/index';
import { applyToCopy, schemaLines, sqldiff, sqlite3, tableContents, tempFolder } from './helpers';
import { holdOpen } from '../sqlite/fixtures';

const folder = tempFolder();
after(() => folder.cleanup());
let counter = 0;

/** Builds A and B with the sqlite3 shell: B is A plus `change`. */
function pair(setup: string, change: string): { a: string; b: string } {
  counter++;
  const a = folder.path(`a${counter}.db`);
  const b = folder.path(`b${counter}.db`);
  sqlite3(a, setup);
  sqlite3(b, setup);
  sqlite3(b, change);
  return { a, b };
}

async function assertTurnsAIntoB(a: string, b: string, result: DiffResult): Promise<void> {
  const applied = applyToCopy(a, result.sql, folder.path(`applied${++counter}.db`));
  assert.deepEqual(await tableContents(applied), await tableContents(b));
  assert.deepEqual(await schemaLines(applied), await schemaLines(b));
}

describe('diffDatabases', () => {
  it('reports updated cells with old and new values, and prints sqldiff statements', async () => {
    const { a, b } = pair(
      "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n); INSERT INTO t VALUES(1,'a',1),(2,'b',2),(3,'c',3);",
      "UPDATE t SET name='B', n=2.5 WHERE id=2; DELETE FROM t WHERE id=3; INSERT INTO t VALUES(4,'d',9223372036854775807);",
    );
    const result = await diffDatabases(a, b, { labels: { a: 'v1', b: 'v2' } });
    assert.equal(result.a, 'v1');
    const t = result.tables[0]!;
    assert.deepEqual(t.summary, { changes: 1, inserts: 1, deletes: 1, unchanged: 1 });
    const update = t.rows.find((r) => r.kind === 'update');
    assert.deepEqual(update, {
      kind: 'update',
      key: { columns: ['id'], values: [{ type: 'integer', value: '2' }] },
      oldValues: [{ type: 'integer', value: '2' }, { type: 'text', value: 'b' }, { type: 'integer', value: '2' }],
      newValues: [{ type: 'integer', value: '2' }, { type: 'text', value: 'B' }, { type: 'real', value: 2.5 }],
      changed: [1, 2],
    });
    assert.deepEqual(result.sql.split('\n').filter(Boolean).sort(), sqldiff(a, b, '--primarykey')!.split('\n').filter(Boolean).sort());
    assert.equal(formatSummary(result), sqldiff(a, b, '--primarykey', '--summary'));
    await assertTurnsAIntoB(a, b, result);
  });

  it('keeps the declared type and default of an appended column', async () => {
    const { a, b } = pair(
      'CREATE TABLE t(id INTEGER PRIMARY KEY, x); INSERT INTO t VALUES(1,1),(2,2);',
      "ALTER TABLE t ADD COLUMN note TEXT NOT NULL DEFAULT 'none'; UPDATE t SET note='set' WHERE id=2;",
    );
    const result = await diffDatabases(a, b);
    assert.match(result.sql, /^ALTER TABLE t ADD COLUMN note TEXT NOT NULL DEFAULT 'none';\nUPDATE t SET note='set' WHERE id=2;\n$/);
    assert.deepEqual(result.tables[0]!.schemaChanges, [
      { kind: 'columns-added', columns: [{ name: 'note', type: 'TEXT', notNull: true, defaultSql: "'none'", pk: 0 }] },
    ]);
    assert.equal(formatSummary(result), 't: 1 changes, 0 inserts, 0 deletes, 1 unchanged; column added: note\n');
    await assertTurnsAIntoB(a, b, result);
  });

  it('drops and recreates a table whose other columns changed, like sqldiff', async () => {
    const { a, b } = pair(
      "CREATE TABLE t(id INTEGER PRIMARY KEY, x INTEGER); INSERT INTO t VALUES(1,5); CREATE INDEX tx ON t(x);",
      "CREATE TABLE t2(id INTEGER PRIMARY KEY, x TEXT); INSERT INTO t2 SELECT * FROM t; DROP TABLE t; ALTER TABLE t2 RENAME TO t; CREATE INDEX tx ON t(x);",
    );
    const result = await diffDatabases(a, b);
    assert.equal(result.tables[0]!.schemaChanges[0]!.kind, 'table-recreated');
    assert.equal(
      result.sql,
      'DROP TABLE t; -- due to schema mismatch\nCREATE TABLE "t"(id INTEGER PRIMARY KEY, x TEXT);\nINSERT INTO t(id,x) VALUES(1,\'5\');\nCREATE INDEX tx ON t(x);\n',
    );
    assert.equal(formatSummary(result), 't: incompatible schema\n');
    await assertTurnsAIntoB(a, b, result);
  });

  it('names the columns a recreated table dropped and added', async () => {
    const { a, b } = pair('CREATE TABLE t(id INTEGER PRIMARY KEY, x, y, z); INSERT INTO t VALUES(1,2,3,4);', 'ALTER TABLE t DROP COLUMN y; ALTER TABLE t RENAME COLUMN z TO w;');
    const result = await diffDatabases(a, b);
    assert.deepEqual(result.tables[0]!.schemaChanges[0], {
      kind: 'table-recreated',
      oldSql: 'CREATE TABLE t(id INTEGER PRIMARY KEY, x, y, z)',
      newSql: 'CREATE TABLE t(id INTEGER PRIMARY KEY, x, w)',
      droppedColumns: ['y', 'z'],
      addedColumns: ['w'],
    });
    assert.equal(formatSummary(result), 't: incompatible schema; columns dropped: y, z; column added: w\n');
    assert.ok(hasDifferences(result));
    await assertTurnsAIntoB(a, b, result);
  });

  it('diffs added and dropped tables, indexes, views and triggers', async () => {
    const { a, b } = pair(
      'CREATE TABLE t(id INTEGER PRIMARY KEY, x); CREATE TABLE gone(y); CREATE INDEX ti ON t(x); CREATE VIEW v AS SELECT 1; ' +
        'CREATE TABLE log(msg); CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES(1); END; INSERT INTO t VALUES(1,1);',
      'DROP TABLE gone; DROP INDEX ti; CREATE INDEX ti2 ON t(x, id); DROP VIEW v; CREATE VIEW v AS SELECT 2; CREATE VIEW w AS SELECT x FROM t; ' +
        'DROP TRIGGER tr; CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES(2); END; CREATE TABLE fresh(a PRIMARY KEY) WITHOUT ROWID; INSERT INTO fresh VALUES(x\'01\');',
    );
    const result = await diffDatabases(a, b);
    const kinds = (table: string) => result.tables.find((t) => t.table === table)!.schemaChanges.map((c) => c.kind);
    assert.deepEqual(kinds('gone'), ['table-dropped']);
    assert.deepEqual(kinds('fresh'), ['table-added']);
    assert.deepEqual(kinds('t'), ['index-dropped', 'index-added', 'trigger-changed']);
    assert.deepEqual(result.objectChanges.map((c) => c.kind), ['view-changed', 'view-added']);
    assert.equal(formatSummary(result), 'fresh: missing from first database\ngone: missing from second database\nlog: 0 changes, 0 inserts, 0 deletes, 1 unchanged\nt: 0 changes, 0 inserts, 0 deletes, 1 unchanged\n');
    await assertTurnsAIntoB(a, b, result);
  });

  it('keeps triggers from firing while rows change, then restores them', async () => {
    const { a, b } = pair(
      'CREATE TABLE t(id INTEGER PRIMARY KEY, x); CREATE TABLE log(msg); CREATE TRIGGER tr AFTER UPDATE ON t BEGIN INSERT INTO log VALUES(new.x); END; INSERT INTO t VALUES(1,1);',
      'UPDATE t SET x = 2;',
    );
    const result = await diffDatabases(a, b);
    assert.match(result.sql, /^INSERT INTO log\(rowid,msg\) VALUES\(1,2\);\nDROP TRIGGER tr;\nUPDATE t SET x=2 WHERE id=1;\nCREATE TRIGGER tr /);
    await assertTurnsAIntoB(a, b, result);
  });

  it('pairs rows by primary key in WITHOUT ROWID and composite-key tables, rows with NULL keys by rowid', async () => {
    const { a, b } = pair(
      "CREATE TABLE w(k TEXT, n INT, v, PRIMARY KEY(k, n)) WITHOUT ROWID; INSERT INTO w VALUES('a',1,1),('a',2,2);" +
        "CREATE TABLE c(k TEXT PRIMARY KEY, v); INSERT INTO c VALUES(NULL, 1), (NULL, 2), ('x', 3);",
      "UPDATE w SET v = x'00' WHERE n = 2; INSERT INTO w VALUES('ü''', 1, NULL); UPDATE c SET v = 9 WHERE v = 2; DELETE FROM c WHERE v = 1;",
    );
    const result = await diffDatabases(a, b);
    const statements = result.sql.split('\n').filter(Boolean);
    assert.ok(statements.includes("UPDATE w SET v=x'00' WHERE k='a' AND n=2;"));
    assert.ok(statements.includes("INSERT INTO w(k,n,v) VALUES('ü''',1,NULL);"));
    assert.ok(statements.includes('DELETE FROM c WHERE rowid=1;'));
    assert.ok(statements.includes('UPDATE c SET v=9 WHERE rowid=2;'));
    await assertTurnsAIntoB(a, b, result);
  });

  it('sees changes that SQL equality hides: 1 vs 1.0, and case under NOCASE', async () => {
    const { a, b } = pair(
      "CREATE TABLE t(id INTEGER PRIMARY KEY, x, s TEXT COLLATE NOCASE); INSERT INTO t VALUES(1, 1, 'abc');",
      "UPDATE t SET x = 1.0, s = 'ABC';",
    );
    const result = await diffDatabases(a, b);
    assert.equal(result.sql, "UPDATE t SET x=1.0, s='ABC' WHERE id=1;\n");
    await assertTurnsAIntoB(a, b, result);
  });

  it('restricts to tables, hides _b2m_migrations unless asked, and summarises only', async () => {
    const { a, b } = pair(
      'CREATE TABLE t(x); CREATE TABLE u(y); CREATE TABLE _b2m_migrations(id PRIMARY KEY, name);',
      "INSERT INTO t VALUES(1); INSERT INTO u VALUES(2); INSERT INTO _b2m_migrations VALUES('1', 'x');",
    );
    assert.deepEqual((await diffDatabases(a, b)).tables.map((t) => t.table), ['t', 'u']);
    assert.deepEqual((await diffDatabases(a, b, { includeB2mTable: true })).tables.map((t) => t.table), ['_b2m_migrations', 't', 'u']);
    const onlyU = await diffDatabases(a, b, { tables: ['u'] });
    assert.equal(onlyU.sql, 'INSERT INTO u(rowid,y) VALUES(1,2);\n');
    assert.equal(hasDifferences(await diffDatabases(a, b, { tables: ['nothing-here'] })), false);
    const summary = await diffDatabases(a, b, { summaryOnly: true });
    assert.equal(summary.sql, '');
    assert.deepEqual(summary.tables.map((t) => t.rows.length), [0, 0]);
    assert.equal(formatSummary(summary), 't: 0 changes, 1 inserts, 0 deletes, 0 unchanged\nu: 0 changes, 1 inserts, 0 deletes, 0 unchanged\n');
  });

  it('streams the same SQL to a sink, and names changed keys', async () => {
    const { a, b } = pair(
      "CREATE TABLE t(k TEXT, n INT, v, PRIMARY KEY(k, n)); INSERT INTO t VALUES('a',1,1),('b',2,2);",
      "UPDATE t SET v=5 WHERE k='b'; ALTER TABLE t ADD COLUMN w;",
    );
    const chunks: string[] = [];
    const outline = await writeDiffSql(a, b, async (text) => {
      await new Promise((resolve) => setImmediate(resolve));
      chunks.push(text);
    });
    const result = await diffDatabases(a, b);
    assert.equal(chunks.join(''), result.sql);
    assert.deepEqual(outline.tables[0]!.summary, result.tables[0]!.summary);
    const keys = changedKeys(result);
    assert.deepEqual([...keys.schemaTables], ['t']);
    assert.deepEqual([...keys.rows.get('t')!], ['["k","n"]=[["text","b"],["integer","2"]]']);
  });

  it('skips unchanged tables by their pages and still counts their rows', async () => {
    const { a, b } = pair(
      'CREATE TABLE big(id INTEGER PRIMARY KEY, v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 5000) INSERT INTO big SELECT i, printf(\'row %d\', i) FROM n;' +
        'CREATE TABLE other(x);',
      "UPDATE big SET v = 'changed' WHERE id = 4000; INSERT INTO other VALUES(1);",
    );
    const result = await diffDatabases(a, b);
    assert.deepEqual(result.tables.find((t) => t.table === 'big')!.summary, { changes: 1, inserts: 0, deletes: 0, unchanged: 4999 });
    assert.equal(formatSummary(result), sqldiff(a, b, '--primarykey', '--summary'));
  });

  it('finds a change that lies only on overflow pages', async () => {
    const { a, b } = pair(
      "CREATE TABLE big(id INTEGER PRIMARY KEY, v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 40) INSERT INTO big SELECT i, printf('%d:%.*c', i, 9000, 'x') FROM n;",
      "UPDATE big SET v = substr(v, 1, length(v) - 3) || 'yyy' WHERE id = 7;",
    );
    const result = await diffDatabases(a, b);
    assert.deepEqual(result.tables[0]!.summary, { changes: 1, inserts: 0, deletes: 0, unchanged: 39 });
    await assertTurnsAIntoB(a, b, result);
  });

  it('reports a database written to while it was compared', async () => {
    const { a, b } = pair('CREATE TABLE t(x);', 'INSERT INTO t VALUES(1);');
    await assert.rejects(
      writeDiffSql(a, b, () => void sqlite3(b, 'INSERT INTO t VALUES(2);')),
      (e: unknown) => e instanceof BadInputError && e.message === `${b} changed while it was being compared.`,
    );
    await assert.rejects(
      writeDiffSql(a, b, () => void sqlite3(b, 'INSERT INTO t VALUES(3);'), { labels: { a: 'app.db@v1', b: 'app.db (local)' } }),
      (e: unknown) => e instanceof BadInputError && e.message === 'app.db (local) changed while it was being compared.',
    );
  });

  it('reads what SQLite sees in a file whose write-ahead log holds committed changes, through a snapshot always removed', async () => {
    const { a, b } = pair('CREATE TABLE t(id INTEGER PRIMARY KEY, x);', 'INSERT INTO t VALUES(1, 1);');
    const holder = await holdOpen(b, 'PRAGMA journal_mode=WAL; INSERT INTO t VALUES(2, 2);');
    try {
      const scratchDir = folder.path(`scratch${++counter}`);
      mkdirSync(scratchDir);
      const before = readFileSync(b);
      const result = await diffDatabases(a, b, { scratchDir, labels: { a: 'A', b: 'B (local)' } });
      assert.equal(result.sql, 'INSERT INTO t(id,x) VALUES(1,1);\nINSERT INTO t(id,x) VALUES(2,2);\n');
      assert.equal(result.b, 'B (local)');
      assert.deepEqual(readFileSync(b), before);
      assert.deepEqual(readdirSync(scratchDir), []);
      await assert.rejects(diffDatabases(a, b, { scratchDir, python: 'no-such-python-b2m' }), BadInputError);
      assert.deepEqual(readdirSync(scratchDir), [], 'removed after a failure too');
    } finally {
      await holder.close();
    }
  });

  it('refuses a file that is not a SQLite database', async () => {
    const { a } = pair('CREATE TABLE t(x);', '');
    const bad = folder.path('not-a-db.db');
    writeFileSync(bad, 'hello, this is text');
    await assert.rejects(diffDatabases(a, bad), BadInputError);
  });

  it('stops with CancelledError when the signal is aborted', async () => {
    const { a, b } = pair('CREATE TABLE t(x);', 'INSERT INTO t VALUES(1);');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(diffDatabases(a, b, { signal: controller.signal }), CancelledError);
    const progress: string[] = [];
    const aborting = new AbortController();
    await assert.rejects(
      diffDatabases(a, b, {
        signal: aborting.signal,
        onProgress: (e) => {
          progress.push(e.message);
          aborting.abort();
        },
      }),
      CancelledError,
    );
    assert.ok(progress.length >= 1);
  });
});
