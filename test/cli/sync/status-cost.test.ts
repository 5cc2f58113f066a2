import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Team } from '../../support/team';

const DATABASES = ['a.db', 'b.db', 'c.db', 'd.db', 'e.db'];

/** Issue 9: a status of N databases costs at most two list calls whatever N, once nothing changed. */
describe('status cost', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['ann', 'ben'], extraConfig: { databases: DATABASES } });
    const ann = team.dev('ann');
    for (const db of DATABASES) {
      execFileSync('sqlite3', [join(ann.dir, db), 'CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);']);
      assert.equal((await ann.run(['sync', db])).code, 0);
    }
    for (const db of DATABASES) assert.equal((await team.dev('ben').run(['download', db])).code, 0);
  });
  after(() => team.close());

  /** The B2 calls one `b2m status` makes, by call name. */
  async function callsOfStatus(who: string): Promise<Record<string, number>> {
    const log = team.b2.server.requests;
    log.clear();
    const run = await team.dev(who).run(['status', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const counts: Record<string, number> = {};
    for (const e of log.entries) counts[e.call] = (counts[e.call] ?? 0) + 1;
    return counts;
  }
  const listCalls = (c: Record<string, number>): number => (c.b2_list_file_names ?? 0) + (c.b2_list_file_versions ?? 0);

  test('nothing changed: two listings for five databases, no download', async () => {
    await callsOfStatus('ben'); // the first read after the downloads remembers the heads' histories
    const calls = await callsOfStatus('ben');
    assert.equal(listCalls(calls), 2, JSON.stringify(calls));
    assert.equal(calls.b2_download_file_by_name ?? 0, 0, 'no manifest fetched again');
    assert.equal(calls.b2_download_file_by_id ?? 0, 0, 'no database downloaded');
  });

  test('one head changed: its manifest is fetched once and pending is computed against it without downloading it', async () => {
    const ann = team.dev('ann');
    team.share('ann', 'ben');
    await ann.writeMigration('b insert a row', "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nwith c:\n    c.execute(\"INSERT INTO t(v) VALUES ('x')\")\n");
    assert.equal((await ann.run(['sync', 'b.db'])).code, 0);

    const changed = await callsOfStatus('ben');
    assert.equal(changed.b2_download_file_by_name ?? 0, 1, `the new head's manifest, once: ${JSON.stringify(changed)}`);
    assert.equal(changed.b2_download_file_by_id ?? 0, 0, 'the new head is not downloaded');
    const status = JSON.parse((await team.dev('ben').run(['status', 'b.db', '--json'])).stdout)[0];
    assert.equal(status.sync, 'behind');
    assert.equal(status.pendingAgainst, 'head');
    assert.deepEqual(status.pending, [], 'the script ann published is in the head, so it is not pending for ben');
    assert.equal(listCalls(await callsOfStatus('ben')), 2, 'and two listings again once it is known');
  });
});
