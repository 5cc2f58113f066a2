import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Team, sqlMigration, type Developer } from '../support/team';
import { maskCheckReport, matchesGolden } from './golden/mask';

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
    const run = await bob.run(['check', '--markdown', 'b2m-check.md']);
    assert.equal(run.code, 0, run.stderr);
    const markdown = readFileSync(join(bob.dir, 'b2m-check.md'), 'utf8');
    matchesGolden('check-pull-request.md', maskCheckReport(markdown));
    assert.match(run.stdout, /^app\.db: passed with 2 warnings$/m);
    assert.match(run.stdout, /^ {4}users: 2 inserted, 1 updated, 0 deleted; columns added: email TEXT; indexes added: users_by_email$/m);
    assert.match(run.stdout, /^ {2}warning: Every row of table logs is deleted \(4 rows\)/m);
    assert.match(run.stdout, /^ {2}warning: \d{23}_fix_user_names\.py is older than \d{23}_add_settings\.py, the newest script in the head \(v3\): it will run out of order/m);
    assert.deepEqual(await snapshotOfEverything(team, bob), before, 'no version, lock, local file or state changed');
    assert.deepEqual(scratchFiles(bob), []);
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
      const run = await bob.run(['check', '--markdown', 'b2m-check.md']);
      assert.equal(run.code, 5, run.stderr);
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
