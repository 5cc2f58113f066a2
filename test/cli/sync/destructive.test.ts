import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import { CLI, Team, finished, sqlMigration, type Developer, type RunResult } from '../../support/team';

/** Issue 11: a sync shows migrations that destroy data and publishes them only when confirmed. */
describe('destructive changes in a sync', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['gil'] });
    const gil = team.dev('gil');
    await gil.publishFirstVersion("CREATE TABLE logs(id INTEGER PRIMARY KEY, line TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO logs(line) SELECT 'line ' || i FROM n;");
  });
  after(() => team.close());

  test('a DELETE without WHERE is shown and not published unless confirmed with --yes', async () => {
    const gil = team.dev('gil');
    await gil.writeMigration('clear logs', sqlMigration('DELETE FROM logs;'));
    const before = (await team.versions()).length;
    team.b2.server.requests.clear();
    const refused = await gil.run(['sync']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /warning: Every row of table logs is deleted \(50 rows\)\./);
    assert.match(refused.stderr, /destroy data in app\.db .* nothing was published/);
    assert.match(refused.stderr, /hint: .*--yes/);
    assert.equal((await team.versions()).length, before, 'nothing published');
    assert.deepEqual(await team.lockFiles(), []);
    // Only the new version's manifest went up (kept: it is named by content, as for any publish); no lock was taken and released.
    assert.equal(team.b2.server.requests.of('b2_upload_file').length, 1, 'a refused sync took the lock');
    const lockOrVersion = ['b2_start_large_file', 'b2_delete_file_version', 'b2_hide_file'].flatMap((call) => team.b2.server.requests.of(call));
    assert.deepEqual(lockOrVersion, [], 'a refused sync took the lock or started a version');
    assert.doesNotMatch(refused.stderr, /Locking/);

    const confirmed = await gil.run(['sync', '--yes', '--json']);
    assert.equal(confirmed.code, 0, confirmed.stderr);
    const outcome = JSON.parse(confirmed.stdout) as { destructive: Array<{ kind: string; table: string }> };
    assert.deepEqual(outcome.destructive.map((w) => [w.kind, w.table]), [['all-rows-deleted', 'logs']]);
    assert.equal((await team.headQuery('SELECT count(*) FROM logs')).trim(), '0');
  });

  test('an ordinary migration asks nothing', async () => {
    const gil = team.dev('gil');
    await gil.writeMigration('one more line', sqlMigration("INSERT INTO logs(line) VALUES ('kept');"));
    const run = await gil.run(['sync', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as { destructive: unknown[] }).destructive, []);
  });
});

/** util-linux `script` runs a command in a pseudo-terminal: stdin and stderr are a terminal, as for a person. */

/** Starts `b2m ...args` in a pseudo-terminal in the developer's folder; what it draws comes back on stdout. */
function startOnTerminal(team: Team, dev: Developer, args: string[]): { child: ChildProcessWithoutNullStreams; screen: () => string; done: Promise<RunResult> } {
  const env: NodeJS.ProcessEnv = { ...process.env, B2_APPLICATION_KEY_ID: team.b2.keyId, B2_APPLICATION_KEY: team.b2.key, B2M_USER: dev.name, TERM: 'xterm' };
  delete env.B2M_ENDPOINT;
  const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: dev.dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  child.stdout.on('data', (c: Buffer) => (screen += c.toString()));
  return { child, screen: () => screen, done: finished(child, 60_000) };
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`never saw ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const QUESTION = 'Publish app.db with these destructive changes? [y/N] ';

/** The question on a terminal: the sync goes on uploading meanwhile, and must neither draw over it nor ignore Ctrl+C. */
// `script` (bsdutils, installed by scripts/setup.sh) gives the CLI a pseudo-terminal.
describe('destructive changes asked on a terminal', () => {
  let team: Team;
  before(async () => {
    // Parts big enough to upload before the lock, on a slow link: the upload runs while the question waits.
    team = await Team.start({ developers: ['ida'], server: { minimumPartSize: 100_000, bandwidthBytesPerSecond: 1_000_000 } });
    await team.dev('ida').publishFirstVersion("CREATE TABLE logs(id INTEGER PRIMARY KEY, line TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO logs(line) SELECT 'line ' || i || hex(randomblob(50)) FROM n;");
  });
  after(() => team.close());

  test('Ctrl+C while asked cancels at once: exit 130, nothing published, no lock left', async () => {
    const ida = team.dev('ida');
    const path = await ida.writeMigration('clear logs', sqlMigration('DELETE FROM logs;'));
    const versions = (await team.versions()).length;
    const run = startOnTerminal(team, ida, ['sync']);
    await until(() => run.screen().includes(QUESTION), 'the question').catch((e: unknown) => {
      run.child.kill(); // its pseudo-terminal closes: b2m gets SIGHUP
      throw e;
    });
    run.child.stdin.write('\x03');
    const result = await run.done;
    assert.equal(result.code, 130, result.stdout);
    assert.doesNotMatch(result.stdout, /unexpected failure/);
    assert.equal((await team.versions()).length, versions, 'nothing published');
    assert.deepEqual(await team.lockFiles(), []);
    rmSync(path);
  });

  test('Ctrl+D (no answer) while asked is a "no": exit 2, nothing published', async () => {
    const ida = team.dev('ida');
    const path = await ida.writeMigration('clear logs', sqlMigration('DELETE FROM logs;'));
    const versions = (await team.versions()).length;
    const run = startOnTerminal(team, ida, ['sync']);
    await until(() => run.screen().includes(QUESTION), 'the question').catch((e: unknown) => {
      run.child.kill();
      throw e;
    });
    run.child.stdin.write('\x04');
    const result = await run.done;
    assert.equal(result.code, 2, result.stdout);
    assert.match(result.stdout, /nothing was published/);
    assert.doesNotMatch(result.stdout, /unexpected failure/);
    assert.equal((await team.versions()).length, versions);
    assert.deepEqual(await team.lockFiles(), []);
    rmSync(path);
  });

  test('the question stays on screen while the upload goes on; "y" publishes', async () => {
    const ida = team.dev('ida');
    await ida.writeMigration('clear logs', sqlMigration('DELETE FROM logs;'));
    const versions = (await team.versions()).length;
    const run = startOnTerminal(team, ida, ['sync']);
    let answered = false;
    try {
      await until(() => run.screen().includes(QUESTION), 'the question');
      await new Promise((resolve) => setTimeout(resolve, 2_500)); // the parts upload meanwhile
      const afterQuestion = run.screen().slice(run.screen().indexOf(QUESTION) + QUESTION.length);
      assert.ok(!afterQuestion.includes('\x1b[2K') && !afterQuestion.includes('Uploading'), `nothing drawn over the question: ${JSON.stringify(afterQuestion)}`);
      run.child.stdin.write('y\r');
      answered = true;
    } finally {
      if (!answered) run.child.kill(); // its pseudo-terminal closes: b2m gets SIGHUP
    }
    const result = await run.done;
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /Published app\.db v\d+ by ida/);
    assert.equal((await team.versions()).length, versions + 1);
  });
});
