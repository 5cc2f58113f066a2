import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqlMigration, Team } from '../../support/team';

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

/** README "Command line": in a workspace of one database, the database may be left out, for these commands too. */
describe('lock, unlock, force-unlock and restore without DB', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['alice', 'bob'] });
    const alice = team.dev('alice');
    await alice.publishFirstVersion('CREATE TABLE t(id INTEGER PRIMARY KEY);');
    await alice.writeMigration('add a row', sqlMigration('INSERT INTO t VALUES (1);'));
    assert.equal((await alice.run(['sync'])).code, 0);
  });
  after(() => team.close());

  test('lock and unlock take the only database', async () => {
    const bob = team.dev('bob');
    const locked = await bob.run(['lock', '--detach', '--json']);
    assert.equal(locked.code, 0, locked.stderr);
    const { database, lockId } = JSON.parse(locked.stdout) as { database: string; lockId: string };
    assert.equal(database, 'app.db');
    const released = await bob.run(['unlock', '--json']);
    assert.equal(released.code, 0, released.stderr);
    assert.equal((JSON.parse(released.stdout) as { released: { lockId: string } }).released.lockId, lockId);
    assert.deepEqual(await team.lockFiles(), []);
  });

  test('force-unlock LOCK_ID: the lock id alone; a database alone is a missing lock id', async () => {
    const [alice, bob] = [team.dev('alice'), team.dev('bob')];
    const { lockId } = JSON.parse((await bob.run(['lock', '--detach', '--json'])).stdout) as { lockId: string };
    const noId = await alice.run(['force-unlock', 'app', '--yes']);
    assert.equal(noId.code, 2, noId.stderr);
    assert.match(noId.stderr, /^error: Missing the lock id/m);
    assert.match(noId.stderr, /^hint: Usage: b2m force-unlock \[DB\] LOCK_ID /m);
    assert.ok((await team.lockFiles()).some((name) => name.includes(lockId)), 'nothing was removed');
    const removed = await alice.run(['force-unlock', lockId, '--yes', '--json']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal((JSON.parse(removed.stdout) as { database: string }).database, 'app.db');
    assert.deepEqual(await team.lockFiles(), []);
  });

  test('restore VERSION: the version alone; a database alone is a missing version', async () => {
    const alice = team.dev('alice');
    const noVersion = await alice.run(['restore', 'app.db', '--yes']);
    assert.equal(noVersion.code, 2, noVersion.stderr);
    assert.match(noVersion.stderr, /^error: Missing the version to restore/m);
    assert.equal((await team.versions()).length, 2);
    const restored = await alice.run(['restore', 'v1', '--yes']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /^Restored app\.db to the content of v1 /m);
    assert.equal((await team.versions()).length, 3);
  });

  test('with several databases, each of them still needs its DB', async () => {
    const bob = team.dev('bob');
    const config = join(bob.dir, 'b2m.json');
    const original = readFileSync(config, 'utf8');
    writeFileSync(config, JSON.stringify({ ...JSON.parse(original), databases: ['app.db', 'stats.db'] }));
    try {
      for (const args of [['lock', '--detach'], ['unlock'], ['force-unlock', 'some-lock-id', '--yes'], ['restore', 'v1', '--yes']]) {
        const r = await bob.run(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /^error: Name a database: this workspace has app\.db, stats\.db\.$/m, args.join(' '));
      }
      assert.deepEqual(await team.lockFiles(), []);
      assert.equal((await team.versions()).length, 3);
    } finally {
      writeFileSync(config, original);
    }
  });
});
