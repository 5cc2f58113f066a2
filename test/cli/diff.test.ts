import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Team, fileBytes, sqlMigration } from '../support/team';
import { holdOpen } from '../core/sqlite/fixtures';

/** Names of files b2m may leave in a folder (anything else after a diff is a scratch file left behind). */
function scratchFiles(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.startsWith('b2m-diff-'));
}

describe('b2m diff: a local database in WAL mode', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['ada'] });
    const ada = team.dev('ada');
    ada.sql("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, 'first');");
    const sync = await ada.run(['sync']);
    assert.equal(sync.code, 0, sync.stderr);
  });
  after(() => team.close());

  test('shows a committed change still in app.db-wal, without touching the file', async () => {
    const ada = team.dev('ada');
    const holder = await holdOpen(ada.dbPath, "PRAGMA journal_mode=WAL; INSERT INTO notes VALUES (2, 'in the log');");
    try {
      const before = { bytes: fileBytes(ada.dbPath), wal: fileBytes(`${ada.dbPath}-wal`) };
      assert.ok(before.wal.length > 0, 'the insert is in the write-ahead log');
      const tmpBefore = scratchFiles(tmpdir());

      const diff = await ada.run(['diff', 'app@base', 'app@local']);
      assert.equal(diff.code, 0, diff.stderr);
      assert.match(diff.stdout, /^INSERT INTO notes\(id,body\) VALUES\(2,'in the log'\);$/m);

      const summary = await ada.run(['diff', 'app@base', 'app@local', '--summary']);
      assert.match(summary.stdout, /^notes: 0 changes, 1 inserts, 0 deletes, 1 unchanged$/m);

      assert.deepEqual(fileBytes(ada.dbPath), before.bytes, 'the database file is not written');
      assert.deepEqual(fileBytes(`${ada.dbPath}-wal`), before.wal, 'the log is not checkpointed');
      assert.deepEqual(scratchFiles(tmpdir()), tmpBefore, 'no scratch file left in the temp folder');
      assert.deepEqual(scratchFiles(join(ada.dir, '.b2m', 'tmp')), [], 'no scratch file left in .b2m/tmp');
    } finally {
      await holder.close();
    }
  });

  test('migrations test does not count pending WAL edits as the migration\'s', async () => {
    const ada = team.dev('ada');
    await ada.writeMigration('add a note', sqlMigration("INSERT INTO notes VALUES (10, 'from the migration');"));
    const holder = await holdOpen(ada.dbPath, "PRAGMA journal_mode=WAL; INSERT INTO notes VALUES (3, 'uncaptured');");
    try {
      const tested = await ada.run(['migrations', 'test']);
      assert.equal(tested.code, 0, tested.stderr);
      assert.match(tested.stdout, /^notes: 0 changes, 1 inserts, 0 deletes, \d+ unchanged$/m);
    } finally {
      await holder.close();
    }
  });
});

describe('b2m diff: refs, labels and summaries', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['bea'] });
    const bea = team.dev('bea');
    await bea.publishFirstVersion("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT, draft INTEGER); INSERT INTO notes VALUES (1, 'first', 0), (2, 'second', 1);");
    await bea.writeMigration('add tag', sqlMigration("ALTER TABLE notes ADD COLUMN tag TEXT; UPDATE notes SET tag = 'x' WHERE id = 2;"));
    assert.equal((await bea.run(['sync'])).code, 0);
    await bea.writeMigration('drop draft', sqlMigration('ALTER TABLE notes DROP COLUMN draft;'));
    assert.equal((await bea.run(['sync', '--yes'])).code, 0, 'a dropped column is confirmed');
  });
  after(() => team.close());

  test('refs without DB@ in a workspace of one database; sides named by version number, never by cache file or id', async () => {
    const bea = team.dev('bea');
    const diff = await bea.run(['diff', 'v1', 'v2', '--json']);
    assert.equal(diff.code, 0, diff.stderr);
    const result = JSON.parse(diff.stdout) as { a: string; b: string; identical: boolean };
    assert.deepEqual([result.a, result.b, result.identical], ['app.db v1', 'app.db v2', false]);

    const sql = await bea.run(['diff', 'v1', 'local']);
    assert.equal(sql.code, 0, sql.stderr);
    assert.match(sql.stdout, /^DROP TABLE notes; -- due to schema mismatch$/m);
    assert.match(sql.stderr, /Reading app\.db v1 and app\.db \(local\)/);
    for (const output of [diff.stdout, diff.stderr, sql.stdout, sql.stderr]) assert.doesNotMatch(output, /snapshots|[0-9a-f]{40}/);
    const [v3] = await team.versions();
    const byId = await bea.run(['diff', `app@${v3!.id}`, 'app@base', '--summary']);
    assert.equal(byId.stdout, 'app.db v3 and app.db (your base) are identical.\n', 'a version id is read as its number');
    const empty = await bea.run(['diff', 'app@', 'app@head']);
    assert.equal(empty.code, 2, empty.stderr);
    assert.match(empty.stderr, /^error: "app@" names no version after "@"\.$/m);
  });

  test('the summary names columns added and dropped', async () => {
    const bea = team.dev('bea');
    const added = await bea.run(['diff', 'v1', 'v2', '--summary']);
    assert.equal(added.stdout, 'notes: 1 changes, 0 inserts, 0 deletes, 1 unchanged; column added: tag\n');
    const dropped = await bea.run(['diff', 'app@v2', 'app@v3', '--summary']);
    assert.equal(dropped.stdout, 'notes: incompatible schema; column dropped: draft\n');
  });

  test('identical sides are said to be identical (on stderr with --sql, so stdout stays SQL)', async () => {
    const bea = team.dev('bea');
    const same = await bea.run(['diff', 'head', 'app@local']);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout, 'app.db v3 (head) and app.db (local) are identical.\n');
    const summary = await bea.run(['diff', 'v3', 'head', '--summary']);
    assert.equal(summary.stdout, 'app.db v3 and app.db v3 (head) are identical.\n');
    const sqlOnly = await bea.run(['diff', 'v3', 'head', '--sql']);
    assert.equal(sqlOnly.stdout, '');
    assert.match(sqlOnly.stderr, /app\.db v3 and app\.db v3 \(head\) are identical\./);
  });

  test('a ref alone is refused, with the fix, when the workspace has several databases', async () => {
    const bea = team.dev('bea');
    const config = JSON.parse(readFileSync(join(bea.dir, 'b2m.json'), 'utf8')) as { databases: string[] };
    writeFileSync(join(bea.dir, 'b2m.json'), JSON.stringify({ ...config, databases: ['app.db', 'other.db'] }));
    try {
      const refused = await bea.run(['diff', 'v1', 'v2']);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /"v1" names no database, and this workspace has several \(app\.db, other\.db\)/);
      assert.match(refused.stderr, /hint: Name the database, e\.g\. app\.db@v1\./);
      assert.equal((await bea.run(['diff', 'app@v1', 'app@v2', '--summary'])).code, 0);
    } finally {
      writeFileSync(join(bea.dir, 'b2m.json'), JSON.stringify(config));
    }
  });

  test('migrations test names the sides, not its scratch files, and says when nothing changes', async () => {
    const bea = team.dev('bea');
    await bea.writeMigration('nothing', sqlMigration('SELECT 1;'));
    const tested = await bea.run(['migrations', 'test']);
    assert.equal(tested.code, 0, tested.stderr);
    assert.match(tested.stdout, /^No differences\.$/m);
    assert.doesNotMatch(tested.stderr, /tested\.db|snapshots/);
    const json = JSON.parse((await bea.run(['migrations', 'test', '--json'])).stdout) as { diff: { a: string; b: string } };
    assert.deepEqual([json.diff.a, json.diff.b], ['app.db (your base)', 'app.db after the migrations']);
  });
});
