import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { Team } from '../../support/team';

/** A Python program that keeps `db` open in WAL mode after committing `sql`, until its stdin closes. */
function walWriter(db: string, sql: string): ChildProcess {
  return spawn('python3', ['-c', [
    'import sqlite3, sys',
    `c = sqlite3.connect(${JSON.stringify(db)})`,
    'c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA wal_autocheckpoint=0")',
    `c.executescript(${JSON.stringify(sql)}); c.commit()`,
    'print("ready", flush=True)',
    'sys.stdin.read()',
    'c.close()',
  ].join('\n')], { stdio: ['pipe', 'pipe', 'inherit'] });
}

/** Issue 10, cases 4 and 5: what capture records, and testing migrations right after a capture. */
describe('capture in WAL mode, then test and sync', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['ada'] });
    const ada = team.dev('ada');
    await ada.publishFirstVersion('CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);');
  });
  after(() => team.close());

  test('edits captured while a program holds the database open in WAL mode are never captured twice', async () => {
    const ada = team.dev('ada');
    const writer = walWriter(ada.dbPath, "INSERT INTO notes(id, body) VALUES (1, 'from the app');");
    await once(writer.stdout!, 'data');
    try {
      assert.equal(JSON.parse((await ada.run(['status', '--json'])).stdout)[0].uncaptured, true, 'the WAL edit is seen');
      const first = await ada.run(['capture', 'app.db', 'note from the app']);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(ada.scripts().length, 1);
      assert.equal(JSON.parse((await ada.run(['status', '--json'])).stdout)[0].uncaptured, false, 'captured while still open');
    } finally {
      writer.stdin!.end();
      await once(writer, 'exit');
    }
    assert.equal(existsSync(`${ada.dbPath}-wal`), false, 'the program checkpointed and closed');
    const status = JSON.parse((await ada.run(['status', '--json'])).stdout)[0];
    assert.equal(status.uncaptured, false, 'the checkpointed file holds nothing new');
    const second = await ada.run(['capture', 'app.db', 'again']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(ada.scripts().length, 1, 'no second script for the same edits');

    const tested = await ada.run(['migrations', 'test']);
    assert.equal(tested.code, 0, `migrations test right after capture: ${tested.stderr}`);
    assert.match(tested.stdout, /no differences/i, tested.stdout);

    const sync = await ada.run(['sync']);
    assert.equal(sync.code, 0, sync.stderr);
    assert.equal((await team.headQuery('SELECT count(*) FROM notes')).trim(), '1');
  });
});
