import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Team, finished, sqlMigration, type Developer } from '../../support/team';
import { loadWorkflow, postComment, runWorkflowCheck, WORKFLOW_FILE, workflowSteps } from './check-workflow';
import { maskCheckReport, matchesGolden } from './golden/mask';

const README_FILE = join(import.meta.dirname, '..', '..', '..', 'README.md');

interface JsonReport {
  databases: Array<{
    database: string;
    outcome: string;
    scripts: string[];
    source?: { kind: string; fetched?: { how: string; bytes: number } };
    failure?: { kind: string; script?: string };
    lintWarnings: { kind: string }[];
    scriptIssues: { kind: string; fileName: string }[];
    notes: string[];
  }>;
}

/** What check must leave as it was: versions, locks, the local file and state, no scratch files. */
async function snapshotOfEverything(team: Team, dev: Developer): Promise<unknown> {
  const read = (path: string) => (existsSync(path) ? readFileSync(path).toString('base64') : 'absent');
  return {
    versions: (await team.versions()).map((v) => v.id),
    locks: await team.lockFiles(),
    local: read(dev.dbPath),
    state: read(join(dev.dir, '.b2m', 'state.json')),
  };
}

function scratchFiles(dev: Developer): string[] {
  const folder = join(dev.dir, '.b2m', 'tmp');
  return existsSync(folder) ? readdirSync(folder) : [];
}

describe('b2m check on a pull-request-like checkout', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['alice', 'bob'] });
    const alice = team.dev('alice');
    const bob = team.dev('bob');
    alice.sql(
      "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO users VALUES (1, 'ada'), (2, 'grace'), (3, 'linus');" +
        "CREATE TABLE logs(id INTEGER PRIMARY KEY, message TEXT); INSERT INTO logs VALUES (1, 'start'), (2, 'stop'), (3, 'start'), (4, 'stop');",
    );
    assert.equal((await alice.run(['sync'])).code, 0);
    // Bob starts a script on his branch; meanwhile the main branch gets newer ones, published.
    await bob.writeMigration('fix user names', sqlMigration("UPDATE users SET name = 'Ada' WHERE id = 1;"));
    await alice.writeMigration('add admin', sqlMigration("INSERT INTO users VALUES (4, 'root');"));
    assert.equal((await alice.run(['sync'])).code, 0);
    await alice.writeMigration('add settings', sqlMigration('CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT);'));
    assert.equal((await alice.run(['sync'])).code, 0);
    team.share('alice', 'bob');
    assert.equal((await bob.run(['download'])).code, 0);
    await bob.writeMigration('add people', sqlMigration("INSERT INTO users VALUES (10, 'dana'), (11, 'eve <b>@admins</b> | `x`');"));
    await bob.writeMigration('add email', sqlMigration('ALTER TABLE users ADD COLUMN email TEXT; CREATE INDEX users_by_email ON users(email);'));
    await bob.writeMigration('clear logs', sqlMigration('DELETE FROM logs;'));
  });
  after(() => team.close());

  test('reports scripts, changes, first rows and warnings as the workflow runs it; touches nothing', async () => {
    const bob = team.dev('bob');
    const before = await snapshotOfEverything(team, bob);
    const run = await runWorkflowCheck(team, bob);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.githubOutput, '', 'the workflow records no failure');
    const markdown = readFileSync(join(bob.dir, 'b2m-check.md'), 'utf8');
    matchesGolden('check-pull-request.md', maskCheckReport(markdown));
    assert.match(run.stdout, /^app\.db: passed with 2 warnings$/m);
    assert.match(run.stdout, /^ {4}users: 2 inserted, 1 updated, 0 deleted; columns added: email TEXT; indexes added: users_by_email$/m);
    assert.match(run.stdout, /^ {2}warning: Every row of table logs is deleted \(4 rows\)/m);
    assert.match(run.stdout, /^ {2}warning: \d{23}_fix_user_names\.py is older than \d{23}_add_settings\.py, the newest script in the head \(v3\): it will run out of order/m);
    assert.deepEqual(await snapshotOfEverything(team, bob), before, 'no version, lock, local file or state changed');
    assert.deepEqual(scratchFiles(bob), []);
  });

  test('the workflow posts the report as a comment on the pull request, then updates that same comment', async () => {
    const bob = team.dev('bob');
    const markdown = readFileSync(join(bob.dir, 'b2m-check.md'), 'utf8');
    const first = await postComment(bob.dir, [{ id: 1, user: { type: 'User' }, body: 'Looks good' }]);
    assert.deepEqual(first, [{ method: 'createComment', params: { owner: 'team', repo: 'databases', issue_number: 7, body: markdown } }]);
    const marker = '<!-- b2m-check -->';
    const comments = [
      { id: 2, user: { type: 'User' }, body: `${marker}\nwritten by a person` },
      { id: 3, user: { type: 'Bot' }, body: `${marker}\nthe report of the previous push` },
      { id: 4, user: { type: 'Bot' }, body: 'another bot' },
    ];
    assert.deepEqual(await postComment(bob.dir, comments), [{ method: 'updateComment', params: { owner: 'team', repo: 'databases', comment_id: 3, body: markdown } }]);
  });

  test('the workflow cuts a report too long for a GitHub comment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'b2m-long-report-'));
    try {
      writeFileSync(join(dir, 'b2m-check.md'), `<!-- b2m-check -->\n${'| `x` | 1 |\n'.repeat(10_000)}`);
      const [call] = await postComment(dir, []);
      const body = call?.params.body as string;
      assert.ok(body.length <= 65_536, `${body.length} characters`);
      assert.match(body, /cut here: the whole report is in the job's summary\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the workflow: on pull requests, GitHub\'s own actions only, Node and Python, secrets from the repository', () => {
    const workflow = loadWorkflow();
    assert.ok('pull_request' in workflow.on);
    assert.equal(workflow.permissions['pull-requests'], 'write');
    const steps = workflowSteps();
    const uses = steps.flatMap((s) => (s.uses ? [s.uses.split('@')[0]] : []));
    assert.deepEqual(uses.filter((u) => !u?.startsWith('actions/')), []);
    for (const action of ['actions/checkout', 'actions/setup-node', 'actions/setup-python', 'actions/github-script']) assert.ok(uses.includes(action), action);
    const check = steps.find((s) => s.id === 'check');
    assert.match(check?.run ?? '', /^npx --no-install b2m check --markdown b2m-check\.md /, 'npx never fetches a package named b2m from the registry');
    assert.deepEqual(check?.env, { B2_APPLICATION_KEY_ID: '${{ secrets.B2_APPLICATION_KEY_ID }}', B2_APPLICATION_KEY: '${{ secrets.B2_APPLICATION_KEY }}' });
  });

  test('the workflow and README install b2m from a tarball or GitHub, never by name from the npm registry', () => {
    // No package "b2m" of ours is on the registry: anyone could publish one, and the workflow runs it with the B2 secrets.
    const texts = { [WORKFLOW_FILE]: readFileSync(WORKFLOW_FILE, 'utf8'), [README_FILE]: readFileSync(README_FILE, 'utf8') };
    for (const [file, text] of Object.entries(texts)) {
      const installs = [...text.matchAll(/npm (?:install|i|add)\b[^\n`"]*/g)].map((m) => m[0]).filter((c) => /\bb2m\b/.test(c));
      assert.ok(installs.length > 0, `${file} says how to install b2m`);
      for (const install of installs) assert.doesNotMatch(install, /(?:^|\s)b2m(?![\w/-])/, `${file}: "${install}" installs b2m from the registry`);
      for (const npx of text.matchAll(/npx (?!github:)[^\n`"]*\bb2m\b[^\n`"]*/g)) assert.match(npx[0], /^npx --no-install b2m /, `${file}: "${npx[0]}" may fetch b2m from the registry`);
    }
  });

  test('the workflow\'s last step fails the job with the exit code of the check, after the report is posted', async () => {
    const last = workflowSteps().at(-1);
    assert.equal(last?.if, 'always()');
    const dir = mkdtempSync(join(tmpdir(), 'b2m-last-step-'));
    try {
      const run = (code: string) => {
        const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', last?.run ?? ''], { cwd: dir, env: { ...process.env, CODE: code, GITHUB_STEP_SUMMARY: join(dir, 'summary') }, stdio: ['ignore', 'pipe', 'pipe'] });
        return finished(child, 10_000);
      };
      assert.equal((await run('')).code, 0);
      writeFileSync(join(dir, 'b2m-check.md'), '## b2m check: ❌ failed\n');
      const failed = await run('5');
      assert.equal(failed.code, 5);
      assert.match(failed.stdout, /b2m check exited with code 5/);
      assert.equal(readFileSync(join(dir, 'summary'), 'utf8'), '## b2m check: ❌ failed\n', 'the report is in the job summary too');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('credentials refused: exit 6, and the pull request is told why there is no report', async () => {
    const bob = team.dev('bob');
    const run = await runWorkflowCheck(team, bob, { B2_APPLICATION_KEY: 'not-the-key' });
    assert.equal(run.githubOutput, 'code=6\n', run.stderr);
    const markdown = readFileSync(join(bob.dir, 'b2m-check.md'), 'utf8');
    assert.match(markdown, /^<!-- b2m-check -->\n## b2m check: ❌ could not run\n\n/);
    assert.doesNotMatch(markdown, /not-the-key/);
  });

  test('--json has the same report; --strict fails on warnings with exit 4', async () => {
    const bob = team.dev('bob');
    const json = await bob.run(['check', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const [app] = (JSON.parse(json.stdout) as JsonReport).databases;
    assert.equal(app?.outcome, 'passed');
    assert.deepEqual(app?.scripts.map((s) => s.slice(24)), ['fix_user_names.py', 'add_people.py', 'add_email.py', 'clear_logs.py']);
    assert.deepEqual(app?.lintWarnings.map((w) => w.kind), ['all-rows-deleted']);
    assert.deepEqual(app?.scriptIssues.map((i) => i.kind), ['out-of-order']);
    assert.equal(app?.source?.fetched?.how, 'cached', 'the first check left the head in the cache');
    const strict = await bob.run(['check', '--strict']);
    assert.equal(strict.code, 4, strict.stderr);
  });

  test('a failing script: exit 5, the report names it, and the markdown is written all the same', async () => {
    const bob = team.dev('bob');
    const path = await bob.writeMigration('broken', sqlMigration('INSERT INTO no_such_table VALUES (1);'));
    try {
      const run = await runWorkflowCheck(team, bob);
      assert.equal(run.githubOutput, 'code=5\n', run.stderr);
      assert.match(run.stdout, /^app\.db: failed with 1 warning$/m);
      assert.match(run.stdout, /_broken\.py {2}<- failed$/m);
      assert.match(run.stdout, /^ {2}error: Migration \d{23}_broken\.py failed: it exited with code 1\.$/m);
      assert.match(run.stdout, /no such table: no_such_table/);
      const markdown = readFileSync(join(bob.dir, 'b2m-check.md'), 'utf8');
      assert.match(markdown, /^## b2m check: ❌ failed$/m);
      assert.match(markdown, /^5\. `\d{23}_broken\.py` ❌ failed$/m);
      assert.match(markdown, /^\*\*Error:\*\* Migration `\d{23}_broken\.py` failed: it exited with code 1\.$/m);
      assert.deepEqual(scratchFiles(bob), []);
      assert.deepEqual(await team.lockFiles(), []);
    } finally {
      rmSync(path);
    }
  });

  test('--markdown FILE that cannot be written: the report is printed all the same, an error names the file, and a failed check keeps its exit code', async () => {
    const bob = team.dev('bob');
    const passed = await bob.run(['check', '--markdown', 'no-such-folder/b2m-check.md']);
    assert.equal(passed.code, 2, passed.stderr);
    assert.match(passed.stdout, /^app\.db: passed with 2 warnings$/m, 'the report comes first');
    assert.match(passed.stderr, /^error: Could not write the markdown report to .*no-such-folder\/b2m-check\.md: /m);
    assert.doesNotMatch(passed.stderr, /unexpected failure/);
    const strict = await bob.run(['check', '--strict', '--markdown', 'no-such-folder/b2m-check.md']);
    assert.equal(strict.code, 4, 'the check\'s own outcome, not the markdown\'s');
    assert.match(strict.stdout, /^app\.db: passed with 2 warnings$/m);
    assert.match(strict.stderr, /^error: Could not write the markdown report to .*no-such-folder\/b2m-check\.md: /m);
    assert.equal(existsSync(join(bob.dir, 'no-such-folder')), false);
  });

  test('--markdown FILE that cannot be written when nothing answers: the connection error and its exit code, not a bug', async () => {
    const bob = team.dev('bob');
    const run = await bob.run(['check', '--markdown', 'no-such-folder/b2m-check.md'], { env: { B2M_ENDPOINT: 'http://127.0.0.1:9' } });
    assert.equal(run.code, 6, run.stderr);
    assert.match(run.stderr, /^error: Nothing answers at http:\/\/127\.0\.0\.1:9/m);
    assert.match(run.stderr, /^warning: Could not write the markdown report to .*no-such-folder\/b2m-check\.md: /m);
    assert.doesNotMatch(run.stderr, /unexpected failure/);
  });

  test('someone else\'s lock does not stop a check, and the check leaves it alone', async () => {
    const alice = team.dev('alice');
    const bob = team.dev('bob');
    assert.equal((await alice.run(['lock', 'app.db', '--detach'])).code, 0);
    try {
      const locks = await team.lockFiles();
      assert.equal(locks.length, 1);
      const run = await bob.run(['check']);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(await team.lockFiles(), locks);
    } finally {
      assert.equal((await alice.run(['unlock', 'app.db'])).code, 0);
    }
  });

  test('a script whose name b2m cannot read: exit 2, and the report lists it', async () => {
    const bob = team.dev('bob');
    const path = join(bob.dir, 'scripts', '2025_fix.py');
    writeFileSync(path, sqlMigration('SELECT 1;'));
    try {
      const run = await bob.run(['check', '--markdown', 'b2m-check.md']);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stdout, /^ {2}error: The migrations of "app" have a problem:\n {4}\| - in .*: "2025_fix\.py" is not a valid migration file name: its id has 4 digits instead of 23/m);
      assert.match(readFileSync(join(bob.dir, 'b2m-check.md'), 'utf8'), /^## b2m check: ❌ failed$/m);
    } finally {
      rmSync(path);
    }
  });

  test('a clean checkout with nothing pending: "nothing to check", exit 0', async () => {
    const alice = team.dev('alice');
    const run = await alice.run(['check', '--markdown', 'b2m-check.md']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'app.db: nothing to check: the head v3 has every script of this checkout.\n');
    const markdown = readFileSync(join(alice.dir, 'b2m-check.md'), 'utf8');
    assert.match(markdown, /^## b2m check: ✅ nothing to check$/m);
    assert.match(markdown, /^Nothing to check: the head v3 has every script of this checkout\.$/m);
  });

  test('a result that breaks a foreign key fails SQLite\'s checks: exit 7', async () => {
    const alice = team.dev('alice');
    const path = await alice.writeMigration(
      'orders',
      sqlMigration('CREATE TABLE orders(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id)); INSERT INTO orders VALUES (1, 99);'),
    );
    try {
      const run = await alice.run(['check']);
      assert.equal(run.code, 7, run.stderr);
      assert.match(run.stdout, /error: After the scripts ran, app\.db fails SQLite's integrity checks\./);
      assert.match(run.stdout, /\| foreign key violation: row 1 of table orders refers to a missing row in users/);
    } finally {
      rmSync(path);
    }
  });

  test('the check script of b2m.json runs on the result: its failure exits 5', async () => {
    const alice = team.dev('alice');
    const config = JSON.parse(readFileSync(join(alice.dir, 'b2m.json'), 'utf8')) as Record<string, unknown>;
    mkdirSync(join(alice.dir, 'checks'), { recursive: true });
    writeFileSync(join(alice.dir, 'checks', 'verify.py'), 'import sqlite3, sys\nn = sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM users").fetchone()[0]\nif n > 4:\n    sys.exit("too many users: %d" % n)\n');
    writeFileSync(join(alice.dir, 'b2m.json'), JSON.stringify({ ...config, checkScript: 'checks/verify.py' }));
    const path = await alice.writeMigration('one more user', sqlMigration("INSERT INTO users VALUES (5, 'ken');"));
    try {
      const run = await alice.run(['check']);
      assert.equal(run.code, 5, run.stderr);
      assert.match(run.stdout, /error: The check script checks\/verify\.py rejected app\.db after the scripts ran \(exit code 1\)\./);
      assert.match(run.stdout, /\| too many users: 5/);
    } finally {
      rmSync(path);
      writeFileSync(join(alice.dir, 'b2m.json'), JSON.stringify(config));
    }
  });
});

/** `b2m migrations create` for any database of the workspace, then the script's body. */
async function createScript(dev: Developer, database: string, phrase: string, body: string): Promise<string> {
  const created = await dev.run(['migrations', 'create', phrase, '--db', database, '--json']);
  assert.equal(created.code, 0, created.stderr);
  const path = (JSON.parse(created.stdout) as { path: string }).path;
  writeFileSync(path, body);
  return path;
}

describe('b2m check with several databases', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['alice'], extraConfig: { databases: ['app.db', 'stats.db', 'audit.db'] } });
    const alice = team.dev('alice');
    alice.sql("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'ada');");
    assert.equal((await alice.run(['sync', 'app.db'])).code, 0);
    execFileSync('sqlite3', [join(alice.dir, 'stats.db'), 'CREATE TABLE hits(day TEXT PRIMARY KEY, n INTEGER);']);
    await createScript(alice, 'app.db', 'add bob', sqlMigration("INSERT INTO users VALUES (2, 'bob');"));
    await createScript(alice, 'stats.db', 'first day', sqlMigration("INSERT INTO hits VALUES ('2025-01-01', 3);"));
  });
  after(() => team.close());

  test('each database: on its head, on the local file when the bucket has none yet, else skipped with a note', async () => {
    const alice = team.dev('alice');
    const stats = readFileSync(join(alice.dir, 'stats.db'));
    const run = await alice.run(['check', '--markdown', 'b2m-check.md']);
    assert.equal(run.code, 0, run.stderr);
    matchesGolden('check-several-databases.md', maskCheckReport(readFileSync(join(alice.dir, 'b2m-check.md'), 'utf8')));
    const json = JSON.parse((await alice.run(['check', '--json'])).stdout) as JsonReport;
    assert.deepEqual(
      json.databases.map((d) => [d.database, d.outcome, d.source?.kind ?? 'none']),
      [
        ['app.db', 'passed', 'head'],
        ['stats.db', 'passed', 'local'],
        ['audit.db', 'skipped', 'none'],
      ],
    );
    assert.match(json.databases[1]!.notes[0]!, /^stats\.db has no version in the bucket yet: the scripts ran on a copy of your local file/);
    assert.match(json.databases[2]!.notes[0]!, /^audit\.db has no version in the bucket and no local file/);
    assert.deepEqual(readFileSync(join(alice.dir, 'stats.db')), stats, 'the local file is only read');
    assert.deepEqual(await team.versions().then((v) => v.length), 1);
  });

  test('a failure in one database: exit 5 with the others still reported; DB checks one database', async () => {
    const alice = team.dev('alice');
    const path = await createScript(alice, 'stats.db', 'broken', 'raise SystemExit("no")\n');
    try {
      const run = await alice.run(['check', '--json']);
      assert.equal(run.code, 5, run.stderr);
      const json = JSON.parse(run.stdout) as JsonReport;
      assert.deepEqual(json.databases.map((d) => d.outcome), ['passed', 'failed', 'skipped']);
      assert.match(json.databases[1]!.failure!.script!, /_broken\.py$/);
      const one = await alice.run(['check', 'app.db', '--json']);
      assert.equal(one.code, 0, one.stderr);
      assert.deepEqual((JSON.parse(one.stdout) as JsonReport).databases.map((d) => d.database), ['app.db']);
    } finally {
      rmSync(path);
    }
  });
});

describe('b2m check in CI: the head fetched by its changed blocks from a cached earlier version', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['alice', 'ci'] });
    const alice = team.dev('alice');
    await alice.publishFirstVersion('CREATE TABLE files(id INTEGER PRIMARY KEY, data BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 64) INSERT INTO files SELECT i, randomblob(65536) FROM n;');
  });
  after(() => team.close());

  test('a folder that never downloaded anything fetches the head whole, then only the changed blocks of the next head', async () => {
    const alice = team.dev('alice');
    const ci = team.dev('ci');
    const first = JSON.parse((await ci.run(['check', '--json'])).stdout) as JsonReport;
    assert.deepEqual([first.databases[0]?.outcome, first.databases[0]?.source?.fetched?.how], ['nothing-to-check', 'whole']);

    await alice.writeMigration('shrink one file', sqlMigration('UPDATE files SET data = zeroblob(10) WHERE id = 1;'));
    assert.equal((await alice.run(['sync'])).code, 0);
    team.share('alice', 'ci');
    await ci.writeMigration('add a file', sqlMigration('INSERT INTO files VALUES (65, x\'00\');'));
    const run = await ci.run(['check', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const [app] = (JSON.parse(run.stdout) as JsonReport).databases;
    assert.equal(app?.outcome, 'passed');
    assert.equal(app?.source?.fetched?.how, 'blocks');
    const [head] = await team.versions();
    assert.ok(app!.source!.fetched!.bytes < head!.size / 4, `${app!.source!.fetched!.bytes} of ${head!.size} bytes downloaded`);
    assert.deepEqual(readdirSync(join(ci.dir, '.b2m', 'snapshots')), [`${head!.sha1}.db`], 'the cache keeps the head only');
    assert.equal(existsSync(join(ci.dir, '.b2m', 'state.json')), false, 'check records no state');
  });
});
