import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openB2Store } from '../../../src/core/store/b2-store';
import type { Store } from '../../../src/core/store/store';
import { Team, fileBytes, finished, sqlMigration } from '../../support/team';

/** A Python process that keeps the database open until killed (an app, a notebook). */
async function holdOpen(db: string): Promise<ChildProcess> {
  const holder = spawn('python3', ['-c', `import sqlite3, sys, time\nc = sqlite3.connect(${JSON.stringify(db)})\nc.execute("SELECT count(*) FROM sqlite_master").fetchall()\nprint("open", flush=True)\ntime.sleep(120)\n`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(holder.stdout!, 'data');
  return holder;
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Issue 10, cases 3 and 15: what a sync says when installing fails, and when its lock is lost. */
describe('publish edges', () => {
  let team: Team;
  let store: Store;
  let hook: Server;
  const told: string[] = [];
  const holders: ChildProcess[] = [];

  before(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        told.push((JSON.parse(body) as { content: string }).content);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    team = await Team.start({
      developers: ['dee', 'eve'],
      lock: { leaseSeconds: 9, settleSeconds: 1.5, maxUploadSeconds: 1 },
      server: { minimumPartSize: 100_000 },
      extraConfig: { webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook` },
    });
    store = await openB2Store({ keyId: team.b2.keyId, key: team.b2.key, bucket: team.b2.bucket, endpoint: team.b2.endpoint });
    await team.dev('dee').publishFirstVersion("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600) INSERT INTO t(v) SELECT printf('%0900d', i) FROM n;");
    assert.equal((await team.dev('eve').run(['download'])).code, 0);
  });
  afterEach(() => {
    for (const h of holders.splice(0)) h.kill('SIGKILL');
    team.b2.server.faults.clear();
    team.b2.server.requests.clear();
    told.length = 0;
  });
  after(async () => {
    await team.close();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  test('a local database open in another program stops the sync before anything is published', async () => {
    const dee = team.dev('dee');
    told.length = 0;
    await dee.writeMigration('while open', sqlMigration("INSERT INTO t(v) VALUES ('open');"));
    const before = await team.versions();
    holders.push(await holdOpen(dee.dbPath));
    const run = await dee.run(['sync']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /app\.db is open in python3 \(pid \d+\), so b2m will not replace it under them/);
    assert.deepEqual((await team.versions()).map((v) => v.id), before.map((v) => v.id), 'nothing was published');
    assert.deepEqual(await store.listUnfinishedLargeFiles(''), []);
    assert.deepEqual(await team.lockFiles(), []);
    assert.equal(told.length, 1);
    assert.match(told[0]!, /sync of app\.db failed/, 'the webhook hears that it failed, which it did');
  });

  test('if installing still fails after publishing, the sync says it published, exits 0, and download installs it later', async () => {
    const dee = team.dev('dee');
    holders.splice(0).forEach((h) => h.kill('SIGKILL'));
    const localBefore = fileBytes(dee.dbPath);
    team.b2.server.faults.delay('b2_finish_large_file', 3000);
    const sync = dee.start(['sync']);
    const done = finished(sync, 60_000);
    // The program opens the database after the checks, while the version is being finished.
    await until('the finish request', () => team.b2.server.requests.of('b2_finish_large_file').some((r) => r.fault === 'delay'));
    holders.push(await holdOpen(dee.dbPath));
    const run = await done;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Published app\.db v\d+ by dee, /m);
    assert.match(run.stdout, /^ {2}not installed locally: app\.db is open in python3 \(pid \d+\), so b2m will not replace it under them\. Run "b2m download app\.db" to put the new version in place of your local file\.$/m);
    assert.ok(fileBytes(dee.dbPath).equals(localBefore), 'the local file was left alone');
    assert.equal((await team.headQuery("SELECT count(*) FROM t WHERE v = 'open'")).trim(), '1');
    assert.ok(told.some((m) => /dee published app\.db/.test(m)), 'the webhook hears "published"');
    assert.ok(!told.some((m) => /failed/.test(m)));

    holders.splice(0).forEach((h) => h.kill('SIGKILL'));
    const download = await dee.run(['download', '--json']);
    assert.equal(download.code, 0, download.stderr);
    assert.equal(JSON.parse(download.stdout).transfer.how, 'cached', 'the published result was kept: nothing to download');
    assert.equal(dee.sql("SELECT count(*) FROM t WHERE v = 'open'").trim(), '1');
    assert.equal(JSON.parse((await dee.run(['status', '--json'])).stdout)[0].sync, 'up-to-date');
  });

  test('a lock lost mid-publish is its own outcome: exit 8, nothing published, no unfinished file left', async () => {
    const eve = team.dev('eve');
    const dee = team.dev('dee');
    assert.equal((await eve.run(['download'])).code, 0);
    await eve.writeMigration('lease lost', sqlMigration("INSERT INTO t(v) VALUES ('lost');"));
    const before = await team.versions();
    // Eve's version is being finished (slowly) when someone force-unlocks her lock: her next
    // heartbeat finds her lock gone, and the finish is stopped and cancelled.
    team.b2.server.faults.delay('b2_finish_large_file', 8000);
    const sync = eve.start(['sync']);
    const done = finished(sync, 60_000);
    await until('the finish request', () => team.b2.server.requests.of('b2_finish_large_file').some((r) => r.fault === 'delay'));
    const status = await dee.run(['status', '--json']);
    const holder = JSON.parse(status.stdout)[0].lockHolder;
    assert.ok(holder, `eve holds the lock while her version is finished: ${status.stdout} ${status.stderr}`);
    assert.equal((await dee.run(['force-unlock', 'app.db', holder.lockId, '--yes'])).code, 0);
    const run = await done;
    assert.equal(run.code, 8, run.stderr);
    assert.match(run.stderr, /Lost the lock on app\.db .*removed by someone else/);
    assert.doesNotMatch(run.stderr, /is locked by/, 'not reported as blocked by someone else');
    // Neither a version nor unfinished: cancelled for good, so the finish still delayed on the server can never publish it.
    assert.deepEqual((await team.versions()).map((v) => v.id), before.map((v) => v.id), 'nothing was published');
    assert.deepEqual(await store.listUnfinishedLargeFiles(''), [], 'the unfinished upload was cancelled');
    assert.deepEqual(await team.lockFiles(), []);
  });
});
