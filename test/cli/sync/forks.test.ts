import { beforeEach, afterEach, describe, test } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import assert from 'node:assert/strict';
import { Team, finished, sqlMigration, waitForOutput, type RunResult } from '../../support/team';

/**
 * Issue 10, case 1: two uploads on one parent (a fork). Alice's upload is slow to finish; Bob,
 * seeing her lock, force-unlocks it and publishes. With a small minimum part size every database
 * here is published as a large file, so a delayed b2_finish_large_file is Alice's slow last step.
 */
describe('forks: two versions on one parent', () => {
  let team: Team;
  beforeEach(async () => {
    team = await Team.start({
      developers: ['alice', 'bob'],
      lock: { leaseSeconds: 60, settleSeconds: 1.5, maxUploadSeconds: 1 },
      server: { minimumPartSize: 100_000 },
    });
    await team.dev('alice').publishFirstVersion("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) SELECT printf('%0500d', value) FROM generate_series(1, 2000);");
    assert.equal((await team.dev('bob').run(['download'])).code, 0);
  });
  afterEach(() => team.close());

  /** Starts Alice's sync and, once her finish is under way (delayed), has Bob break her lock and publish. */
  async function bobOvertakesAlice(): Promise<{ alice: ChildProcess; overtaken: Promise<void>; done: Promise<RunResult> }> {
    const alice = team.dev('alice');
    const bob = team.dev('bob');
    await alice.writeMigration('alice note', sqlMigration("INSERT INTO notes(id, body) VALUES (9001, 'from alice');"));
    await bob.writeMigration('bob note', sqlMigration("INSERT INTO notes(id, body) VALUES (9002, 'from bob');"));
    team.b2.server.faults.delay('b2_finish_large_file', 8000);
    const aliceSync = alice.start(['sync']);
    const done = finished(aliceSync, 90_000); // listening from the start: she may finish before anyone asks
    const overtaken = waitForOutput(aliceSync, 'overtaken by another one', 60_000);
    await waitForOutput(aliceSync, 'Confirming the head');
    const lock = JSON.parse((await bob.run(['status', '--json'])).stdout)[0].lockHolder;
    assert.equal(lock.owner, 'alice');
    assert.equal((await bob.run(['force-unlock', 'app.db', lock.lockId, '--yes'])).code, 0);
    const bobSync = await bob.run(['sync']);
    assert.equal(bobSync.code, 0, bobSync.stderr);
    // v2 when bob published; once alice's upload (started earlier) is finished, it takes v2 and bob's becomes v3.
    assert.match(bobSync.stdout, /^Published app\.db v2 by bob, /m, `bob published while alice was still finishing: ${bobSync.stdout}`);
    return { alice: aliceSync, overtaken, done };
  }

  async function headNotes(): Promise<string> {
    return (await team.headQuery('SELECT id FROM notes WHERE id > 9000 ORDER BY id')).trim();
  }

  test('the overtaken upload is detected at once and healed in the same run, saying so', async () => {
    const { done } = await bobOvertakesAlice();
    const run = await done;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /overtaken by another one; it stays in history, and b2m rebuilds on the new head/);
    assert.match(run.stdout, /^Published app\.db v4 by alice, .* UTC \(rebased on a newer remote version\): uploaded /m);
    assert.equal(await headNotes(), '9001\n9002', 'every migration in the head');
    const ids = (await team.headMigrations());
    assert.equal(new Set(ids).size, ids.length, 'each exactly once');
    assert.equal(ids.length, 2);

    const history = JSON.parse((await team.dev('bob').run(['history', '--json'])).stdout) as Array<{ number: number; overtaken?: { by?: number }; onChain: boolean }>;
    const v2 = history.find((v) => v.number === 2)!;
    assert.equal(v2.onChain, false, "alice's first upload is not in the head's history");
    assert.equal(v2.overtaken?.by, 3);
    const text = (await team.dev('bob').run(['history'])).stdout;
    assert.match(text, /^v2 .*overtaken by v3/m);
    const bobStatus = JSON.parse((await team.dev('bob').run(['status', '--json'])).stdout)[0];
    assert.equal(bobStatus.sync, 'behind', 'bob has not the healed head yet');
    assert.deepEqual(bobStatus.pending, []);
    assert.equal(bobStatus.forks[0].version.number, 2);
    assert.deepEqual(bobStatus.forks[0].migrationsLost, [], 'the heal carried alice\'s migration into the head');
    assert.equal((await team.dev('bob').run(['sync'])).code, 0);
    assert.deepEqual(await team.lockFiles(), []);
  });

  test('an overtaken version left unhealed: its author sees the fork, the migration pending again, and replays it with no false conflict', async () => {
    const { alice, overtaken, done } = await bobOvertakesAlice();
    await overtaken;
    alice.kill('SIGKILL');
    const killed = await done;
    assert.notEqual(killed.code, 0, 'alice was killed before healing');
    assert.equal(await headNotes(), '9002', "the head lacks alice's migration");

    const status = JSON.parse((await team.dev('alice').run(['status', '--json'])).stdout)[0];
    assert.equal(status.sync, 'diverged');
    assert.equal(status.pendingAgainst, 'head');
    assert.deepEqual(status.pending.map((m: { phrase: string }) => m.phrase), ['alice_note'], 'her migration is pending again');
    assert.equal(status.forks[0].version.number, 2);
    assert.equal(status.forks[0].by.number, 3);
    assert.match(status.forks[0].migrationsLost[0], /_alice_note$/);
    const text = (await team.dev('alice').run(['status'])).stdout;
    assert.match(text, /fork: {4}v2 by alice, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(built on v1\) was overtaken by v3 by bob, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; it carried \d+_alice_note, which the head lacks/);

    const sync = await team.dev('alice').run(['sync']);
    assert.equal(sync.code, 0, `no false conflict: ${sync.stderr}`);
    assert.equal(await headNotes(), '9001\n9002');
    assert.deepEqual(await team.lockFiles(), []);
  });
});
