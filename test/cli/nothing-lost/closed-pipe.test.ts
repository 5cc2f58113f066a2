import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, Team, finished, sqlMigration } from '../../support/team';

/** Issue 10, case 6: output errors never abort work. */
describe('a closed output pipe', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['cai'] });
    const cai = team.dev('cai');
    await cai.publishFirstVersion('CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);');
  });
  after(() => team.close());

  test('`b2m sync 2>&1 | head -1` publishes, exits 0 and leaves no scratch file', async () => {
    const cai = team.dev('cai');
    await cai.writeMigration('insert through a pipe', sqlMigration("INSERT INTO t(v) VALUES ('piped');"));
    const before = (await team.versions()).length;
    // bash reports b2m's own exit code (PIPESTATUS) on its stderr, which is not piped.
    const shell = spawn('bash', ['-c', `"${process.execPath}" "${CLI}" sync app.db 2>&1 | head -1; echo "b2m exit: \${PIPESTATUS[0]}" >&2`], {
      cwd: cai.dir,
      env: { ...process.env, B2_APPLICATION_KEY_ID: team.b2.keyId, B2_APPLICATION_KEY: team.b2.key, B2M_USER: 'cai' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run = await finished(shell, 60_000);
    assert.match(run.stderr, /b2m exit: 0/, `${run.stdout}\n${run.stderr}`);
    assert.equal(run.stdout.split('\n').filter(Boolean).length, 1, 'head printed one line');
    assert.equal((await team.versions()).length, before + 1, 'published');
    assert.equal((await team.headQuery("SELECT count(*) FROM t WHERE v = 'piped'")).trim(), '1');
    assert.deepEqual(readdirSync(join(cai.dir, '.b2m', 'tmp')), [], 'no scratch file left');
  });
});
