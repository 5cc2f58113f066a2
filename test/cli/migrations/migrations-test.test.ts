import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Team, sqlMigration } from '../../support/team';

describe('b2m migrations test: the result compared with your local file', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['flo'] });
    await team.dev('flo').publishFirstVersion("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('a'), ('b');");
  });
  after(() => team.close());

  test('a local file still at your base lacks only the changes under test: no talk of uncaptured edits', async () => {
    const flo = team.dev('flo');
    await flo.writeMigration('add w', sqlMigration("ALTER TABLE t ADD COLUMN w TEXT; UPDATE t SET w = v || '!' WHERE id = 1;"));
    const tested = await flo.run(['migrations', 'test']);
    assert.equal(tested.code, 0, tested.stderr);
    assert.match(tested.stdout, /Your local app\.db is your base version: it does not have these changes yet \("b2m sync" publishes them; --apply tries them on it\)\./);
    assert.doesNotMatch(tested.stdout, /capture/);
    const json = JSON.parse((await flo.run(['migrations', 'test', '--json'])).stdout) as { matchesLocal: boolean; localIsBase: boolean };
    assert.deepEqual([json.matchesLocal, json.localIsBase], [false, true]);
  });

  test('a local file with edits of its own is told apart, with the way to capture them', async () => {
    const flo = team.dev('flo');
    flo.sql("INSERT INTO t(v) VALUES ('typed by hand');");
    const tested = await flo.run(['migrations', 'test']);
    assert.equal(tested.code, 0, tested.stderr);
    assert.match(tested.stdout, /Your local app\.db differs from this result: it holds edits no migration makes yet \("b2m capture" turns them into one\)\./);
  });

  test('after --apply, the local file holds exactly the result', async () => {
    const flo = team.dev('flo');
    const applied = await flo.run(['migrations', 'test', '--apply']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /Applied to app\.db\./);
    const again = await flo.run(['migrations', 'test']);
    assert.match(again.stdout, /Your local app\.db holds exactly this result: no differences\./);
  });
});
