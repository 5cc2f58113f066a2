import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Team, sqlMigration } from '../../support/team';

/** A rebase checks for conflicts by replaying your migrations on the common ancestor: before the lock, not under it. */
describe('a rebase holds the lock only for the last step', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['ines', 'jon'] });
    await team.dev('ines').publishFirstVersion("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('a'), ('b');");
    const download = await team.dev('jon').run(['download']);
    assert.equal(download.code, 0, download.stderr);
  });
  after(() => team.close());

  test('a slow migration replayed for the conflict check runs before the lock is taken', async () => {
    const [ines, jon] = [team.dev('ines'), team.dev('jon')];
    await jon.writeMigration('slow one', `import time\ntime.sleep(4)\n${sqlMigration("UPDATE t SET v = 'jon' WHERE id = 2;")}`);
    await ines.writeMigration('quick one', sqlMigration("INSERT INTO t(v) VALUES ('ines');"));
    const first = await ines.run(['sync']);
    assert.equal(first.code, 0, first.stderr);

    const rebased = await jon.run(['sync', '--json']);
    assert.equal(rebased.code, 0, rebased.stderr);
    const outcome = JSON.parse(rebased.stdout) as { result: string; transfer: { lockHeldMs: number } };
    assert.equal(outcome.result, 'published');
    assert.ok(outcome.transfer.lockHeldMs < 1500, `the lock was held ${Math.round(outcome.transfer.lockHeldMs)} ms`);
    assert.equal((await team.headQuery('SELECT group_concat(v) FROM t')).trim(), 'a,jon,ines');
  });
});
