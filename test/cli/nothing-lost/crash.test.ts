import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Team, fileBytes, finished, sqlMigration, waitForOutput } from '../../support/team';

/**
 * SIGKILL `b2m sync` at each step. The next run recovers: the dead process's lock is broken (same
 * machine, process gone), nothing is half-written, and the migration ends in the head exactly once.
 */
describe('crash safety: b2m sync killed at each step', () => {
  let team: Team;
  before(async () => {
    // A slow check script and a long settle time widen the windows the kills aim at.
    team = await Team.start({ developers: ['gus'], lock: { leaseSeconds: 30, settleSeconds: 2, maxUploadSeconds: 1 }, extraConfig: { checkScript: 'check.py' } });
    const gus = team.dev('gus');
    writeFileSync(join(gus.dir, 'check.py'), 'import time\ntime.sleep(0.5)\n');
    gus.sql('CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);');
    assert.equal((await gus.run(['sync'])).code, 0);
  });
  after(() => team.close());

  const steps: Array<{ step: string; slow?: (t: Team) => void }> = [
    { step: 'Reading the history', slow: (t) => t.b2.server.faults.delay('b2_list_file_versions', 1500) },
    { step: 'Running' },
    { step: 'Verifying' },
    { step: 'Locking' },
    { step: 'Uploading', slow: (t) => t.b2.server.faults.delay('b2_get_upload_url', 300, 3) },
    { step: 'Confirming', slow: (t) => t.b2.server.faults.delay('b2_list_file_versions', 300, 6) },
  ];
  for (const { step, slow } of steps) {
    test(`killed at "${step}"`, async () => {
      const gus = team.dev('gus');
      const before = await team.versions();
      const localBefore = fileBytes(gus.dbPath);
      await gus.writeMigration(`step ${step}`, `${sqlMigration(`INSERT INTO t(v) VALUES ('${step}');`)}import time\ntime.sleep(0.5)\n`);
      slow?.(team);
      const child = gus.start(['sync']);
      const done = finished(child, 30_000);
      await waitForOutput(child, step, 20_000);
      child.kill('SIGKILL');
      const run = await done;
      assert.equal(run.code, 128, `the sync was killed at "${step}" (exit ${run.code})`);
      team.b2.server.faults.clear();

      const after = await team.versions();
      assert.ok(after.length === before.length || after.length === before.length + 1, 'either nothing or one whole version was published');
      const local = fileBytes(gus.dbPath);
      const localIsOld = local.equals(localBefore);
      if (!localIsOld) assert.equal(after.length, before.length + 1, 'the local file changes only after a confirmed upload');

      const again = await gus.run(['sync'], { timeoutMs: 60_000 });
      assert.equal(again.code, 0, `recovery run: ${again.stderr}`);
      const rows = (await team.headQuery(`SELECT count(*) FROM t WHERE v = '${step}'`)).trim();
      assert.equal(rows, '1', 'the migration is in the head exactly once');
      assert.deepEqual(await team.lockFiles(), [], 'no lock left');
      assert.deepEqual(readdirSync(gus.dir).filter((f) => f.includes('scratch') || f.endsWith('.tmp')), []);
      const status = JSON.parse((await gus.run(['status', '--json'])).stdout)[0];
      assert.equal(status.sync, 'up-to-date');
      assert.equal(status.uncaptured, false);
    });
  }
});
