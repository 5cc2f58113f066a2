import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Team, sqlMigration } from '../../support/team';

/** When publishing fails, the work started beside it (verification, lint, conflict check) stops too. */
describe('a publish that fails while the candidate is still being verified', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['lea'], extraConfig: { checkScript: 'check.py' } });
    const lea = team.dev('lea');
    writeFileSync(join(lea.dir, 'check.py'), 'import sys\n');
    await lea.publishFirstVersion('CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);');
  });
  after(() => team.close());

  test('reports the failure at once and leaves no check running', async () => {
    const lea = team.dev('lea');
    const marker = join(lea.dir, 'check-finished');
    writeFileSync(join(lea.dir, 'check.py'), `import pathlib, time\ntime.sleep(6)\npathlib.Path(${JSON.stringify(marker)}).write_text('done')\n`);
    await lea.writeMigration('row', sqlMigration("INSERT INTO t(v) VALUES ('x');"));
    team.b2.server.faults.add({ call: 'b2_get_upload_url', kind: 'error', status: 403, code: 'access_denied', message: 'uploads are refused here', times: 20 });
    const started = performance.now();
    const run = await lea.run(['sync']);
    const seconds = (performance.now() - started) / 1000;
    team.b2.server.faults.clear();
    assert.notEqual(run.code, 0, run.stdout);
    assert.match(run.stderr, /uploads are refused here|access_denied/);
    assert.equal(existsSync(marker), false, `the failure was reported after ${seconds.toFixed(1)} s, once the check script had finished`);
    await sleep(Math.max(0, 6500 - seconds * 1000));
    assert.equal(existsSync(marker), false, 'the check script went on after the sync had failed');
  });
});
