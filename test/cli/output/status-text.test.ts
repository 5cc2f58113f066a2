import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Team, sqlMigration } from '../../support/team';

const TIME = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC`;

describe('b2m status: the one-line text of the engine, versions as vN with time', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['alice', 'bob'] });
    const alice = team.dev('alice');
    await alice.publishFirstVersion('CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);');
  });
  after(() => team.close());

  test("someone else's lock and a migration to push", async () => {
    const [alice, bob] = [team.dev('alice'), team.dev('bob')];
    assert.equal((await bob.run(['lock', 'app.db', '--detach'])).code, 0);
    try {
      await alice.writeMigration('add a row', sqlMigration("INSERT INTO t(v) VALUES ('a');"));
      const run = await alice.run(['status']);
      assert.equal(run.code, 0, run.stderr);
      const lines = run.stdout.trimEnd().split('\n');
      assert.match(lines[0] ?? '', /^app\.db: locked by bob until \d\d:\d\d:\d\d UTC · 1 to push$/);
      assert.match(run.stdout, new RegExp(`^  head:    v1 by alice, ${TIME}$`, 'm'));
      assert.match(run.stdout, /^ {2}base: {4}the head$/m);
      assert.match(run.stdout, /^ {2}pending: \d{23}_add_a_row\.py$/m);
      assert.match(run.stdout, new RegExp(`^  lock:    bob@\\S+ \\(manual\\) since ${TIME}, lease until \\d\\d:\\d\\d:\\d\\d UTC; lock id [0-9a-f]{16}$`, 'm'));
      const [head] = await team.versions();
      assert.ok(head && !run.stdout.includes(head.id), 'no full version id in the text for people');
      assert.ok((JSON.parse((await alice.run(['status', '--json'])).stdout) as { head: { id: string } }[])[0]?.head.id === head.id, 'the id is in --json');
    } finally {
      assert.equal((await bob.run(['unlock', 'app.db'])).code, 0);
    }
  });
});
