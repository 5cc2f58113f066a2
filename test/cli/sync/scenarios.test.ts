import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Team, sqlMigration, waitForOutput, finished } from '../../support/team';

describe('b2m sync: the three scenarios, through the real CLI', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['alice', 'bob', 'carol'] });
  });
  after(() => team.close());

  test('a database that exists only locally is published as the first version', async () => {
    const alice = team.dev('alice');
    alice.sql("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO users VALUES (1, 'ada'), (2, 'grace');");
    const status = await alice.run(['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout)[0].sync, 'only-local');

    const sync = await alice.run(['sync']);
    assert.equal(sync.code, 0, sync.stderr);
    assert.match(sync.stdout, /first version/);
    const versions = await team.versions();
    assert.equal(versions.length, 1);
    assert.equal(versions[0]!.author, 'alice');
    assert.equal(versions[0]!.parent, undefined);
    assert.deepEqual(await team.lockFiles(), []);
  });

  test('scenario 1: base = head, so the migration runs on it and a new version is published', async () => {
    const bob = team.dev('bob');
    const download = await bob.run(['download']);
    assert.equal(download.code, 0, download.stderr);
    assert.equal(bob.sql('SELECT count(*) FROM users').trim(), '2');

    await bob.writeMigration('add email', sqlMigration('ALTER TABLE users ADD COLUMN email TEXT; UPDATE users SET email = name || \'@example.com\';'));
    const pending = JSON.parse((await bob.run(['status', '--json'])).stdout)[0];
    assert.equal(pending.sync, 'ahead');
    assert.equal(pending.pendingAgainst, 'head', 'pending means "not yet in the remote head" when a copy of the head is at hand');
    assert.equal(pending.pending.length, 1);

    const [v1] = await team.versions();
    const sync = await bob.run(['sync']);
    assert.equal(sync.code, 0, sync.stderr);
    assert.match(sync.stdout, /^Published app\.db v2 by bob, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: uploaded \d[\d.]* (B|KB|MB) of \d[\d.]* (KB|MB)( \([\d.]+× less\))?, nothing downloaded\.$/m);
    assert.match(sync.stdout, /^ {2}lock held \d+ ms$/m);
    const [v2, ...older] = await team.versions();
    assert.equal(older.length, 1);
    assert.equal(v2!.parent, v1!.id, 'the new version names its parent');
    assert.equal(v2!.author, 'bob');
    assert.ok(v2!.migration, 'the newest migration id is recorded on the version');
    assert.equal(bob.sql("SELECT email FROM users WHERE id = 1").trim(), 'ada@example.com', 'the local copy is the new head');
    assert.equal((await team.headQuery('SELECT count(*) FROM _b2m_migrations')).trim(), '1');

    const status = await bob.run(['status', '--json']);
    assert.equal(JSON.parse(status.stdout)[0].sync, 'up-to-date');
    assert.deepEqual(await team.lockFiles(), []);
  });

  test('scenario 2: remote newer than the base, no overlap: rebuilds on the newer version', async () => {
    const alice = team.dev('alice');
    const bob = team.dev('bob');
    team.share('bob', 'alice');
    assert.equal((await alice.run(['download'])).code, 0);

    await alice.writeMigration('orders table', sqlMigration('CREATE TABLE orders(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), total REAL);'));
    await bob.writeMigration('add grace hopper', sqlMigration("INSERT INTO users(id, name) VALUES (3, 'hopper');"));
    assert.equal((await alice.run(['sync'])).code, 0);

    const status = JSON.parse((await bob.run(['status', '--json'])).stdout)[0];
    assert.equal(status.sync, 'diverged');
    assert.equal(status.pendingAgainst, 'head', 'the newer head is not downloaded, its manifest tells what it holds');
    assert.deepEqual(status.pending.map((m: { phrase: string }) => m.phrase), ['add_grace_hopper'], "alice's script is in the head, bob's is pending");
    const [v3] = await team.versions();
    const sync = await bob.run(['sync', '--json']);
    assert.equal(sync.code, 0, sync.stderr);
    const outcome = JSON.parse(sync.stdout);
    assert.equal(outcome.scenario, 'rebase');
    const [v4] = await team.versions();
    assert.equal(v4!.parent, v3!.id);
    assert.equal((await team.headQuery("SELECT count(*) FROM orders; SELECT name FROM users WHERE id = 3;")).trim(), '0\nhopper');
    assert.equal((await team.headMigrations()).length, 3);
  });

  test('scenario 2 with a conflict: stops with a table naming table, key, column and the three values; publishes with --force', async () => {
    const alice = team.dev('alice');
    const bob = team.dev('bob');
    team.share('alice', 'bob');
    team.share('bob', 'alice');
    assert.equal((await alice.run(['sync'])).code, 0, 'alice catches up');
    assert.equal((await bob.run(['sync'])).code, 0, 'bob catches up');

    await alice.writeMigration('rename ada', sqlMigration("UPDATE users SET name = 'Ada Lovelace' WHERE id = 1;"));
    await bob.writeMigration('shout ada', sqlMigration("UPDATE users SET name = 'ADA' WHERE id = 1;"));
    assert.equal((await alice.run(['sync'])).code, 0);
    const before = await team.versions();

    const blocked = await bob.run(['sync']);
    assert.equal(blocked.code, 4, `conflict exit code; stderr: ${blocked.stderr}`);
    assert.match(blocked.stderr, /1 conflict\./);
    assert.match(blocked.stderr, /^users\s+id=1\s+name\s+'ada'\s+'Ada Lovelace'\s+'ADA'$/m, 'table, key, column, ancestor, theirs, yours');
    assert.equal((await team.versions()).length, before.length, 'nothing was published');
    assert.deepEqual(await team.lockFiles(), [], 'no lock left behind');

    const forced = await bob.run(['sync', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal((await team.headQuery('SELECT name FROM users WHERE id = 1')).trim(), 'ADA');
  });

  test('scenario 3: locked by someone else: blocked with owner and times; --wait succeeds once released', async () => {
    const carol = team.dev('carol');
    const bob = team.dev('bob');
    const holder = carol.start(['lock', 'app.db']);
    await waitForOutput(holder, /Holding it/);

    await bob.writeMigration('index names', sqlMigration('CREATE INDEX users_name ON users(name);'));
    const blocked = await bob.run(['sync']);
    assert.equal(blocked.code, 3, blocked.stderr);
    assert.match(blocked.stderr, /app\.db is locked by carol@\S+ \(manual\) since \d\d:\d\d:\d\d, lease expires \d\d:\d\d:\d\d UTC/);

    const status = await bob.run(['status', '--json']);
    const s = JSON.parse(status.stdout)[0];
    assert.equal(s.lock, 'locked-by-other');
    assert.equal(s.lockHolder.owner, 'carol');

    const waiting = bob.start(['sync', '--wait', '30']);
    setTimeout(() => holder.kill('SIGINT'), 1500);
    const released = await finished(holder, 20_000);
    assert.equal(released.code, 0, released.stderr);
    const synced = await finished(waiting, 40_000);
    assert.equal(synced.code, 0, synced.stderr);
    assert.match(synced.stdout, /Published/);
    assert.deepEqual(await team.lockFiles(), []);
  });

  test('history lists every version with parent, author and newest migration; restore appends', async () => {
    const alice = team.dev('alice');
    const history = await alice.run(['history', '--json']);
    assert.equal(history.code, 0, history.stderr);
    const versions = JSON.parse(history.stdout) as Array<{ number: number; id: string; parent?: string; author: string; isHead: boolean }>;
    assert.ok(versions.length >= 6);
    assert.ok(versions[0]!.isHead);
    for (let i = 0; i < versions.length - 1; i++) assert.equal(versions[i]!.parent, versions[i + 1]!.id, 'history is linear');

    team.share('bob', 'alice');
    assert.equal((await alice.run(['sync'])).code, 0);
    const beforeRestore = (await team.versions()).length;
    const unconfirmed = await alice.run(['restore', 'app.db', 'v1']);
    assert.equal(unconfirmed.code, 2, 'without a terminal to ask on, a restore needs --yes');
    assert.match(unconfirmed.stderr, /Restoring app\.db v1 by alice, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC replaces the head v\d+ by \w+, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./);
    assert.match(unconfirmed.stderr, /It undoes \d+ migration\(s\) the head has/);
    assert.match(unconfirmed.stderr, /hint: Pass --yes/);
    assert.equal((await team.versions()).length, beforeRestore, 'nothing restored');
    const restore = await alice.run(['restore', 'app.db', 'v1', '--yes']);
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stdout, /^Restored app\.db to the content of v1 by alice, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: the new head is v\d+ by alice, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.$/m);
    assert.match(restore.stdout, /the next sync applies them again/);
    const after = await team.versions();
    assert.equal(after.length, beforeRestore + 1, 'history is appended, never rewritten');
    assert.equal(after[0]!.restoredFrom, versions.at(-1)!.id);
    assert.equal(alice.sql('SELECT count(*) FROM users').trim(), '2');
  });
});
