import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { Team, fileBytes } from '../../support/team';

describe('local safety: uncaptured edits are never lost', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['erin', 'frank'] });
    await team.dev('erin').publishFirstVersion("CREATE TABLE prices(sku TEXT PRIMARY KEY, cents INTEGER NOT NULL); INSERT INTO prices VALUES ('a', 100), ('b', 250);");
    assert.equal((await team.dev('frank').run(['download'])).code, 0);
  });
  after(() => team.close());

  test('an edit made outside b2m shows as uncaptured, and sync refuses', async () => {
    const frank = team.dev('frank');
    frank.sql("UPDATE prices SET cents = 260 WHERE sku = 'b'; INSERT INTO prices VALUES ('c', 999);");
    const status = JSON.parse((await frank.run(['status', '--json'])).stdout)[0];
    assert.equal(status.uncaptured, true);
    const sync = await frank.run(['sync']);
    assert.equal(sync.code, 4, sync.stderr);
    assert.match(sync.stderr, /b2m capture/);
    const asJson = await frank.run(['sync', '--json']);
    assert.deepEqual([asJson.code, JSON.parse(asJson.stderr).error.reason], [4, 'uncaptured'], 'the JSON error says why');

    const summary = await frank.run(['diff', 'app@base', 'app@local', '--summary']);
    assert.equal(summary.code, 0, summary.stderr);
    assert.match(summary.stdout, /^prices: 1 changes, 1 inserts, 0 deletes, 1 unchanged$/m);
    const sql = await frank.run(['diff', 'app@head', 'app@local']);
    assert.equal(sql.code, 0, sql.stderr);
    assert.match(sql.stdout, /UPDATE prices SET cents=260 WHERE sku='b';/);
    assert.match(sql.stdout, /INSERT INTO prices\(sku,cents\) VALUES\('c',999\);/);
  });

  test('download refuses to overwrite them; --force keeps a backup', async () => {
    const frank = team.dev('frank');
    const edited = fileBytes(frank.dbPath);
    const refused = await frank.run(['download']);
    assert.equal(refused.code, 4, refused.stderr);
    assert.deepEqual(fileBytes(frank.dbPath), edited);

    const forced = await frank.run(['download', '--force', '--json']);
    assert.equal(forced.code, 0, forced.stderr);
    const backup = JSON.parse(forced.stdout).backup as string;
    assert.ok(backup && existsSync(backup), 'a backup was kept');
    assert.match(backup, /\.b2m\/backups\//);
    const { execFileSync } = await import('node:child_process');
    assert.equal(execFileSync('sqlite3', [backup, "SELECT cents FROM prices WHERE sku = 'c'"], { encoding: 'utf8' }).trim(), '999');
    assert.equal(frank.sql("SELECT count(*) FROM prices").trim(), '2', 'the local copy is the remote head again');
  });

  test('capture turns edits into a migration that sync publishes', async () => {
    const frank = team.dev('frank');
    frank.sql("UPDATE prices SET cents = 260 WHERE sku = 'b'; INSERT INTO prices VALUES ('c', 999); DELETE FROM prices WHERE sku = 'a';");
    const capture = await frank.run(['capture', 'app.db', 'imported', 'prices', '--json']);
    assert.equal(capture.code, 0, capture.stderr);
    const script = JSON.parse(capture.stdout).script as string;
    assert.match(script, /scripts\/\d{23}_imported_prices\.py$/);
    const text = readFileSync(script, 'utf8');
    assert.match(text, /INSERT INTO prices/);
    assert.match(text, /DELETE FROM prices/);

    const status = JSON.parse((await frank.run(['status', '--json'])).stdout)[0];
    assert.equal(status.uncaptured, false);
    assert.equal(status.sync, 'ahead');
    const sync = await frank.run(['sync']);
    assert.equal(sync.code, 0, sync.stderr);
    assert.equal((await team.headQuery("SELECT sku || '=' || cents FROM prices ORDER BY sku")).trim(), 'b=260\nc=999');
  });

  test('read commands never modify the database, even in WAL mode', async () => {
    const frank = team.dev('frank');
    frank.sql('PRAGMA journal_mode=WAL;');
    const before = { bytes: fileBytes(frank.dbPath), mtime: statSync(frank.dbPath).mtimeMs, files: readdirSync(frank.dir).sort() };
    for (const args of [['status'], ['history'], ['migrations', 'list'], ['status', '--json']]) {
      const r = await frank.run(args);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.deepEqual(fileBytes(frank.dbPath), before.bytes);
    assert.equal(statSync(frank.dbPath).mtimeMs, before.mtime);
    assert.deepEqual(readdirSync(frank.dir).sort(), before.files, 'no -wal/-shm files created');
  });

  test('a database in WAL mode with uncheckpointed writes is published consistently', async () => {
    const frank = team.dev('frank');
    const { spawn } = await import('node:child_process');
    // Another process keeps the database open in WAL mode while writing, so the main file lags.
    const writer = spawn('python3', ['-c', [
      'import sqlite3, sys, time',
      `c = sqlite3.connect(${JSON.stringify(frank.dbPath)})`,
      'c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA wal_autocheckpoint=0")',
      'c.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)")',
      'c.executemany("INSERT INTO notes(body) VALUES (?)", [("n%d" % i,) for i in range(500)]); c.commit()',
      'print("ready", flush=True); time.sleep(30)',
    ].join('\n')], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => writer.stdout.once('data', () => resolve()));
    try {
      const capture = await frank.run(['capture', 'app.db', 'notes']);
      assert.equal(capture.code, 0, capture.stderr);
      const listed = JSON.parse((await frank.run(['migrations', 'list', '--json'])).stdout) as { scripts: { state: string; path: string }[] };
      assert.match(readFileSync(listed.scripts.find((s) => s.state === 'pending')!.path, 'utf8'), /CREATE TABLE notes/);
    } finally {
      writer.kill();
    }
  });
});
