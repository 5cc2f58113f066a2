import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Team, fileBytes, sqlMigration } from '../../support/team';

/** Each bad migration must leave the remote head, the local files and the lock as they were. */
describe('b2m sync with a failing migration loses nothing', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['dana'], migrationTimeoutSeconds: 2 });
    const dana = team.dev('dana');
    await dana.publishFirstVersion("CREATE TABLE items(id INTEGER PRIMARY KEY, label TEXT); INSERT INTO items VALUES (1, 'one');");
  });
  after(() => team.close());

  const cases: Array<{ name: string; body: string; exit: number; message: RegExp }> = [
    { name: 'raises', body: 'raise RuntimeError("boom: the data is not what I expected")\n', exit: 5, message: /boom: the data is not what I expected/ },
    { name: 'hangs', body: 'import time\ntime.sleep(600)\n', exit: 5, message: /did not finish within 2000 ms/ },
    {
      name: 'corrupts the file',
      body: 'import sys\nwith open(sys.argv[1], "r+b") as f:\n    f.seek(4096)\n    f.write(b"\\xff" * 4096)\n',
      exit: 7,
      message: /integrity|malformed|not a database/i,
    },
  ];

  for (const c of cases) {
    test(`a migration that ${c.name}`, async (t) => {
      const dana = team.dev('dana');
      const headBefore = (await team.versions())[0]!;
      const localBefore = fileBytes(dana.dbPath);
      const script = await dana.writeMigration(c.name, c.body);
      t.after(() => rmSync(script));
      const sync = await dana.run(['sync'], { timeoutMs: 30_000 });
      assert.equal(sync.code, c.exit, `exit code; stderr: ${sync.stderr}`);
      assert.match(sync.stderr, c.message);
      assert.match(sync.stderr, /hint: Nothing was changed/, 'says what to do next');
      assert.equal((await team.versions())[0]!.id, headBefore.id, 'remote head unchanged');
      assert.deepEqual(fileBytes(dana.dbPath), localBefore, 'local database unchanged byte for byte');
      assert.deepEqual(await team.lockFiles(), [], 'lock released');
      const leftovers = readdirSync(dana.dir).filter((f) => f.includes('scratch') || f.endsWith('.tmp'));
      assert.deepEqual(leftovers, [], 'no scratch files left beside the database');
    });
  }

  test('a malformed script name is refused with the expected pattern', async () => {
    const dana = team.dev('dana');
    const { writeFileSync, rmSync } = await import('node:fs');
    const bad = join(dana.dir, 'scripts', '2024_add-stuff.py');
    writeFileSync(bad, sqlMigration('SELECT 1;'));
    const sync = await dana.run(['sync']);
    assert.equal(sync.code, 2, sync.stderr);
    assert.match(sync.stderr, /2024_add-stuff\.py/);
    rmSync(bad);
  });

  test('a check script that rejects the candidate stops the sync', async () => {
    const dana = team.dev('dana');
    const { writeFileSync, readFileSync, rmSync } = await import('node:fs');
    const configPath = join(dana.dir, 'b2m.json');
    const original = readFileSync(configPath, 'utf8');
    writeFileSync(join(dana.dir, 'check.py'), 'import sqlite3, sys\nn = sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM items").fetchone()[0]\nif n > 1:\n    sys.exit("items must hold one row, found %d" % n)\n');
    writeFileSync(configPath, JSON.stringify({ ...JSON.parse(original), checkScript: 'check.py' }));
    const script = await dana.writeMigration('second item', sqlMigration("INSERT INTO items VALUES (2, 'two');"));
    const headBefore = (await team.versions())[0]!;
    const sync = await dana.run(['sync']);
    assert.equal(sync.code, 5, sync.stderr);
    assert.match(sync.stderr, /items must hold one row, found 2/);
    assert.equal((await team.versions())[0]!.id, headBefore.id);
    writeFileSync(configPath, original);
    rmSync(script);
  });
});
