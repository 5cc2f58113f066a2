import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BadInputError, CancelledError } from '../../../src/core/errors';
import type { ProgressEvent } from '../../../src/core/progress';
import { applyMigrations, testMigrations } from '../../../src/core/migrations/apply';
import { discoverMigrations, type Migration } from '../../../src/core/migrations/discover';
import { MigrationFailedError } from '../../../src/core/migrations/errors';
import { migrationTemplate } from '../../../src/core/migrations/template';
import { DatabaseIntegrityError } from '../../../src/core/sqlite/errors';
import { MIGRATIONS_TABLE, MIGRATIONS_TABLE_DDL, readAppliedMigrations } from '../../../src/core/sqlite/migrations-table';
import { verifyDatabase } from '../../../src/core/sqlite/verify';
import { createDb, fingerprint, holdOpen, isAlive, query, tempDir } from '../sqlite/fixtures';

const TIMEOUT_MS = 60_000;
const AUTHOR = 'ada@laptop';

/** A database folder and a scripts folder with the given migration files. */
async function setUp(scripts: Record<string, string>, schema = 'CREATE TABLE t (v TEXT);'): Promise<{ dir: string; db: string; migrations: Migration[] }> {
  const dir = tempDir();
  const scriptsDir = join(dir, 'scripts');
  mkdirSync(join(scriptsDir, 'app'), { recursive: true });
  for (const [fileName, content] of Object.entries(scripts)) writeFileSync(join(scriptsDir, 'app', fileName), content);
  const dbDir = join(dir, 'data');
  mkdirSync(dbDir);
  const db = createDb(join(dbDir, 'app.db'), schema);
  return { dir, db, migrations: await discoverMigrations({ scriptsDir, db: 'app', isDefault: false }) };
}

const sqlMigration = (sql: string): string => migrationTemplate({ phrase: 'x', sql });
const pythonMigration = (body: string): string => `import sqlite3, sys\n${body}\n`;

/** Checks that a failed run left the database as it was and no scratch file behind. */
function assertUntouched(db: string, before: ReturnType<typeof fingerprint>): void {
  assert.deepEqual(fingerprint(db), before, 'the database changed');
  assert.deepEqual(readdirSync(join(db, '..')), ['app.db'], 'files were left beside the database');
}

describe('applyMigrations', () => {
  it('applies pending migrations in id order, records them and reports their output', async () => {
    const { dir, db, migrations } = await setUp({
      '20250101000000000000002_python_logic.py': pythonMigration(
        [
          'from _shared import greeting',
          'conn = sqlite3.connect(sys.argv[1])',
          'with conn:',
          '    conn.execute("INSERT INTO t VALUES (?)", (greeting(),))',
          'conn.close()',
          'print("inserted a greeting")',
        ].join('\n'),
      ),
      '20250101000000000000001_sql.py': sqlMigration("INSERT INTO t VALUES ('from sql');"),
      '_shared.py': 'def greeting():\n    return "hello"\n',
    });
    const events: ProgressEvent[] = [];
    const started = Date.now();
    const results = await applyMigrations(db, [...migrations].reverse(), { timeoutMs: TIMEOUT_MS, author: AUTHOR, onProgress: (e) => events.push(e) });

    assert.deepEqual(results.map((r) => [r.migration.fileName, r.status]), [
      ['20250101000000000000001_sql.py', 'applied'],
      ['20250101000000000000002_python_logic.py', 'applied'],
    ]);
    assert.equal(results[1]?.stdout, 'inserted a greeting');
    assert.deepEqual(query(db, 'SELECT v FROM t ORDER BY rowid'), [['from sql'], ['hello']]);
    const rows = await readAppliedMigrations(db);
    assert.deepEqual(rows.map((r) => [r.id, r.name, r.checksum, r.appliedBy]), migrations.map((m) => [m.id, m.phrase, m.checksum, AUTHOR]));
    for (const row of rows) {
      assert.match(row.appliedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.ok(Date.parse(row.appliedAt) >= started - 1000);
    }
    assert.deepEqual(query(db, 'PRAGMA integrity_check'), [['ok']]);
    // The harness (Python) creates the table exactly as MIGRATIONS_TABLE_DDL says.
    assert.deepEqual(query(db, `SELECT sql FROM sqlite_master WHERE name = '${MIGRATIONS_TABLE}'`), [[MIGRATIONS_TABLE_DDL.replace(' IF NOT EXISTS', '')]]);
    assert.deepEqual(readdirSync(join(db, '..')), ['app.db']);
    assert.deepEqual(events.map((e) => [e.step, e.done, e.total]), [['migrate', 0, 2], ['migrate', 1, 2], ['migrate', 2, 2]]);
    assert.match(events[0]?.message ?? '', /Running 20250101000000000000001_sql\.py/);
    assert.ok(existsSync(join(dir, 'scripts', 'app', '_shared.py')));
  });

  it('runs scripts without the B2 credentials of the environment (a script from a pull request must not read them)', async () => {
    const { db, migrations } = await setUp({
      '20250101000000000000001_env.py': pythonMigration(
        [
          'import os',
          'conn = sqlite3.connect(sys.argv[1])',
          'with conn:',
          '    conn.execute("INSERT INTO t VALUES (?)", (repr([os.environ.get(n) for n in ("B2_APPLICATION_KEY_ID", "B2_APPLICATION_KEY", "HOME")]),))',
          'conn.close()',
        ].join('\n'),
      ),
    });
    const saved = { id: process.env.B2_APPLICATION_KEY_ID, key: process.env.B2_APPLICATION_KEY };
    process.env.B2_APPLICATION_KEY_ID = 'key-id-for-the-test';
    process.env.B2_APPLICATION_KEY = 'key-for-the-test';
    try {
      await applyMigrations(db, migrations, { timeoutMs: TIMEOUT_MS, author: AUTHOR });
    } finally {
      for (const [name, value] of [['B2_APPLICATION_KEY_ID', saved.id], ['B2_APPLICATION_KEY', saved.key]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    assert.deepEqual(query(db, 'SELECT v FROM t'), [[`[None, None, '${process.env.HOME}']`]]);
  });

  it('never runs a recorded migration again and then leaves the database alone', async () => {
    const { db, migrations } = await setUp({
      '20250101000000000000001_create.py': sqlMigration('CREATE TABLE once (a);'),
    });
    await applyMigrations(db, migrations, { timeoutMs: TIMEOUT_MS, author: AUTHOR });
    const before = fingerprint(db);
    // Running CREATE TABLE once again would fail; it must not run at all.
    const results = await applyMigrations(db, migrations, { timeoutMs: TIMEOUT_MS, author: AUTHOR });
    assert.deepEqual(results.map((r) => r.status), ['already-applied']);
    assertUntouched(db, before);
    assert.equal((await readAppliedMigrations(db)).length, 1);
  });

  it('fails on a script that raises, naming it, and applies none of the batch', async () => {
    const { db, migrations } = await setUp({
      '20250101000000000000001_fine.py': sqlMigration("INSERT INTO t VALUES ('fine');"),
      '20250101000000000000002_broken.py': pythonMigration('print("about to fail")\nraise ValueError("boom: the price column is missing")'),
      '20250101000000000000003_never.py': sqlMigration("INSERT INTO t VALUES ('never');"),
    });
    const before = fingerprint(db);
    await assert.rejects(applyMigrations(db, migrations, { timeoutMs: TIMEOUT_MS, author: AUTHOR }), (e: unknown) => {
      assert.ok(e instanceof MigrationFailedError);
      assert.equal(e.kind, 'verification');
      assert.equal(e.reason, 'exit');
      assert.equal(e.exitCode, 1);
      assert.equal(e.migration.fileName, '20250101000000000000002_broken.py');
      assert.equal(e.stdout, 'about to fail');
      assert.match(e.message, /^Migration 20250101000000000000002_broken\.py failed: it exited with code 1\./);
      assert.match(e.message, /ValueError: boom: the price column is missing$/);
      assert.match(e.hint ?? '', /app\.db was not changed/);
      return true;
    });
    assertUntouched(db, before);
  });

  it('stops a script that hangs, killing it and the processes it started', async () => {
    const { dir, db, migrations } = await setUp({
      '20250101000000000000001_hangs.py': pythonMigration(
        [
          'import os, subprocess, time',
          'child = subprocess.Popen(["sleep", "300"])',
          'with open(os.path.join(os.path.dirname(__file__), "hangs.pids"), "w") as f:',
          '    f.write("%d %d" % (os.getpid(), child.pid))',
          'time.sleep(300)',
        ].join('\n'),
      ),
    });
    const before = fingerprint(db);
    const started = Date.now();
    await assert.rejects(applyMigrations(db, migrations, { timeoutMs: 15_000, author: AUTHOR }), (e: unknown) => {
      assert.ok(e instanceof MigrationFailedError);
      assert.equal(e.reason, 'timeout');
      assert.match(e.message, /_hangs\.py failed: it did not finish within 15000 ms and was stopped/);
      return true;
    });
    // Had only the script been killed, its `sleep 300` would have kept the run waiting.
    assert.ok(Date.now() - started < 60_000, 'the run outlived its time limit');
    const pidFile = join(dir, 'scripts', 'app', 'hangs.pids');
    assert.ok(existsSync(pidFile), 'the script never started within the time limit');
    const pids = readFileSync(pidFile, 'utf8').split(' ').map(Number);
    await sleep(200);
    for (const pid of pids) assert.equal(isAlive(pid), false, `process ${pid} survived`);
    assertUntouched(db, before);
  });

  it('stops at once when cancelled mid-run', async () => {
    const { dir, db, migrations } = await setUp({
      '20250101000000000000001_slow.py': pythonMigration(
        [
          'import os, time',
          'marker = os.path.join(os.path.dirname(__file__), "slow")',
          'open(marker + ".pid", "w").write(str(os.getpid()))',
          'os.replace(marker + ".pid", marker + ".started")',
          'time.sleep(300)',
        ].join('\n'),
      ),
    });
    const before = fingerprint(db);
    const controller = new AbortController();
    const run = applyMigrations(db, migrations, { timeoutMs: TIMEOUT_MS, author: AUTHOR, signal: controller.signal });
    const started = async (): Promise<string> => {
      for (;;) {
        const marker = join(dir, 'scripts', 'app', 'slow.started');
        if (existsSync(marker)) return readFileSync(marker, 'utf8');
        await sleep(50);
      }
    };
    const pid = Number(await Promise.race([started(), run.then(() => '')]));
    const cancelledAt = Date.now();
    controller.abort();
    await assert.rejects(run, (e: unknown) => e instanceof CancelledError && /Cancelled while running 20250101000000000000001_slow\.py/.test(e.message));
    assert.ok(Date.now() - cancelledAt < 10_000);
    assert.equal(isAlive(pid), false);
    assertUntouched(db, before);
  });

  it('fails when a script overwrites the database header with garbage', async () => {
    const { db, migrations } = await setUp({
      '20250101000000000000001_garbage.py': pythonMigration('with open(sys.argv[1], "r+b") as f:\n    f.write(b"\\xde\\xad" * 512)'),
    });
    const before = fingerprint(db);
    await assert.rejects(applyMigrations(db, migrations, { timeoutMs: TIMEOUT_MS, author: AUTHOR }), (e: unknown) => {
      assert.ok(e instanceof MigrationFailedError);
      assert.match(e.message, /_garbage\.py failed.*\n[^]*not a database/);
      return true;
    });
    assertUntouched(db, before);
  });

  it('fails a script that ends Python before it can be recorded', async () => {
    const { db, migrations } = await setUp({
      '20250101000000000000001_exits.py': sqlMigration("INSERT INTO t VALUES ('x');").replace('    main(sys.argv[1])', '    main(sys.argv[1])\n    import os\n    os._exit(0)'),
    });
    const before = fingerprint(db);
    await assert.rejects(applyMigrations(db, migrations, { timeoutMs: TIMEOUT_MS, author: AUTHOR }), (e: unknown) => e instanceof MigrationFailedError && e.reason === 'not-recorded');
    assertUntouched(db, before);
  });

  for (const [how, body] of [
    ['never commits', 'conn = sqlite3.connect(sys.argv[1])\nconn.execute("INSERT INTO t VALUES (\'uncommitted\')")'],
    ['runs BEGIN itself', 'conn = sqlite3.connect(sys.argv[1], isolation_level=None)\nconn.execute("BEGIN")\nconn.execute("INSERT INTO t VALUES (\'uncommitted\')")'],
  ] as const) {
    it(`fails at once, saying how to fix it, when a script ${how} and leaves its transaction open`, async () => {
      const { db, migrations } = await setUp({ '20250101000000000000001_open.py': pythonMigration(body) });
      const before = fingerprint(db);
      const started = Date.now();
      await assert.rejects(applyMigrations(db, migrations, { timeoutMs: TIMEOUT_MS, author: AUTHOR }), (e: unknown) => {
        assert.ok(e instanceof MigrationFailedError);
        assert.equal(e.reason, 'unfinished-write');
        assert.match(e.message, /^Migration 20250101000000000000001_open\.py failed: it left a transaction open/);
        assert.doesNotMatch(e.message, /database is locked/);
        assert.match(e.hint ?? '', /with conn:.*conn\.commit\(\).*conn\.close\(\)/);
        assert.match(e.hint ?? '', /app\.db was not changed/);
        return true;
      });
      // SQLite's busy timeout (5 s) must not be what ends it.
      assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
      assertUntouched(db, before);
    });
  }

  it('refuses a script edited after it was discovered', async () => {
    const { db, migrations } = await setUp({ '20250101000000000000001_edited.py': sqlMigration('') });
    writeFileSync(migrations[0]?.path ?? '', sqlMigration('DROP TABLE t;'));
    const before = fingerprint(db);
    await assert.rejects(applyMigrations(db, migrations, { timeoutMs: TIMEOUT_MS, author: AUTHOR }), (e: unknown) => e instanceof MigrationFailedError && /changed after b2m read it/.test(e.message));
    assertUntouched(db, before);
  });

  it('refuses to replace a database another program has open, naming it', async () => {
    const { db, migrations } = await setUp({ '20250101000000000000001_x.py': sqlMigration('') }, 'PRAGMA journal_mode=WAL; CREATE TABLE t (v TEXT);');
    const holder = await holdOpen(db, "INSERT INTO t VALUES ('open');");
    try {
      const before = fingerprint(db);
      await assert.rejects(applyMigrations(db, migrations, { timeoutMs: TIMEOUT_MS, author: AUTHOR }), (e: unknown) => {
        assert.ok(e instanceof BadInputError);
        assert.match(e.message, new RegExp(`app\\.db is in use by python3 \\(pid ${holder.pid}\\)`));
        return true;
      });
      assert.deepEqual(fingerprint(db), before);
    } finally {
      await holder.close();
    }
  });

  it('says so when the Python command does not exist', async () => {
    const { db, migrations } = await setUp({ '20250101000000000000001_x.py': sqlMigration('') });
    const before = fingerprint(db);
    await assert.rejects(
      applyMigrations(db, migrations, { timeoutMs: TIMEOUT_MS, author: AUTHOR, python: '/nonexistent/python3' }),
      (e: unknown) => e instanceof BadInputError && /Could not start Python with the command "\/nonexistent\/python3"/.test(e.message),
    );
    assertUntouched(db, before);
  });
});

describe('testMigrations', () => {
  it('keeps the migrated copy of a database that is open in WAL mode, leaving the original alone', async () => {
    const { db, migrations } = await setUp(
      { '20250101000000000000001_add.py': sqlMigration("INSERT INTO t VALUES ('migrated');") },
      'PRAGMA journal_mode=WAL; CREATE TABLE t (v TEXT);',
    );
    const holder = await holdOpen(db, "INSERT INTO t VALUES ('uncheckpointed');");
    try {
      const before = fingerprint(db);
      const walBefore = fingerprint(`${db}-wal`);
      const output = join(db, '..', 'app.test.db');
      const results = await testMigrations(db, migrations, { outputPath: output, timeoutMs: TIMEOUT_MS, author: AUTHOR });
      assert.deepEqual(results.map((r) => r.status), ['applied']);
      assert.deepEqual(query(output, 'SELECT v FROM t ORDER BY rowid'), [['uncheckpointed'], ['migrated']]);
      assert.deepEqual((await readAppliedMigrations(output)).map((r) => r.id), ['20250101000000000000001']);
      assert.deepEqual(fingerprint(db), before);
      assert.deepEqual(fingerprint(`${db}-wal`), walBefore);
      assert.equal((await readAppliedMigrations(db)).length, 0);
    } finally {
      await holder.close();
    }
  });

  it('lets a script that damages pages through; verifyDatabase catches it', async () => {
    // The runner only proves that each script ran and was recorded; checking the result is
    // verifyDatabase's job, and sync always runs it before uploading.
    const { db, migrations } = await setUp(
      {
        '20250101000000000000001_damage.py': pythonMigration('with open(sys.argv[1], "r+b") as f:\n    f.seek(4096 * 2 + 2000)\n    f.write(b"\\xff" * 1000)'),
      },
      `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO t (v) SELECT printf('%.100c', 'x') FROM n;`,
    );
    const before = fingerprint(db);
    const output = join(db, '..', 'app.test.db');
    await testMigrations(db, migrations, { outputPath: output, timeoutMs: TIMEOUT_MS, author: AUTHOR });
    await assert.rejects(verifyDatabase(output), (e: unknown) => e instanceof DatabaseIntegrityError && e.kind === 'integrity');
    await verifyDatabase(db);
    assert.deepEqual(fingerprint(db), before);
  });

  it('writes no output when a script fails', async () => {
    const { db, migrations } = await setUp({ '20250101000000000000001_fails.py': pythonMigration('sys.exit(3)') });
    const before = fingerprint(db);
    const output = join(db, '..', 'app.test.db');
    await assert.rejects(testMigrations(db, migrations, { outputPath: output, timeoutMs: TIMEOUT_MS, author: AUTHOR }), (e: unknown) => e instanceof MigrationFailedError && e.exitCode === 3);
    assertUntouched(db, before);
  });

  it('refuses to use the database itself as the output', async () => {
    const { db, migrations } = await setUp({});
    await assert.rejects(testMigrations(db, migrations, { outputPath: db, timeoutMs: TIMEOUT_MS, author: AUTHOR }), BadInputError);
  });
});
