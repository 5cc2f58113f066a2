import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
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
