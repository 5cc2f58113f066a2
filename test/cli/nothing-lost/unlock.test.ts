import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Team } from '../../support/team';

/** "You may only unlock your own lock": one rule of the engine, the same for the CLI and the extension. */
describe('b2m unlock', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['alice', 'bob'] });
    const alice = team.dev('alice');
    await alice.publishFirstVersion('CREATE TABLE t(id INTEGER PRIMARY KEY);');
  });
  after(() => team.close());

  test("refuses someone else's lock, naming it and how to remove it on purpose; releases your own", async () => {
    const [alice, bob] = [team.dev('alice'), team.dev('bob')];
    const locked = await bob.run(['lock', 'app.db', '--detach', '--json']);
    assert.equal(locked.code, 0, locked.stderr);
    const { lockId } = JSON.parse(locked.stdout) as { lockId: string };

    const refused = await alice.run(['unlock', 'app']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, new RegExp(`^error: app\\.db held by bob@\\S+ \\(manual, lock ${lockId}\\) since .*: not yours to unlock\\.$`, 'm'));
    assert.match(refused.stderr, new RegExp(`^hint: If that lock is abandoned, remove it with "b2m force-unlock app\\.db ${lockId}"`, 'm'));
    assert.equal((await team.lockFiles()).filter((name) => name.includes(lockId)).length > 0, true, "bob's lock is still there");

    const released = await bob.run(['unlock', 'app', '--json']);
    assert.equal(released.code, 0, released.stderr);
    assert.equal((JSON.parse(released.stdout) as { released: { lockId: string } }).released.lockId, lockId);
    assert.deepEqual(await team.lockFiles(), []);

    const free = await alice.run(['unlock', 'app']);
    assert.equal(free.code, 0, free.stderr);
    assert.equal(free.stdout, 'app.db is not locked.\n');
  });
});
