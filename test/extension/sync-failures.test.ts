// Each way a sync can stop, inside a real extension host against a local B2 server: its own
// message, worded for VS Code (buttons, not the command line's --force and --wait), with the
// actions that lead on from it; and the actions do what they say.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { forceUnlock } from '../../src/core/lock';
import { syncDatabase, type SyncOutcome } from '../../src/core/sync/sync';
import type { DownloadOutcome } from '../../src/core/sync/download';
import { takeLock } from '../../src/core/sync/take-lock';
import { listDatabaseVersions } from '../../src/core/versions/history';
import { encodeVersionInfo } from '../../src/core/versions/version-info';
import type { Notice } from '../../src/extension/notices/notice';
import { DB, Sandbox, sqlMigration, type Teammate } from './support/sandbox';

const labels = (notice: Notice): string[] => notice.actions.map((a) => a.label);
const CLI_WORDING = /--force|--wait|"b2m (sync|download|capture)/;

describe('sync failures, each in its own words', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let carol: Teammate;

  before(async () => {
    sandbox = await Sandbox.open({ bucket: 'b2m-failures', moreDatabases: ['notes.db'], server: { buckets: ['b2m-failures', 'b2m-empty'] } });
    carol = await sandbox.teammate('carol');
  });

  after(async () => sandbox?.close());

  const status = (database = DB) => sandbox.api.model.entry(database).status;
  const versions = async (): Promise<number> => (await listDatabaseVersions(await (await carol.context()).store(), DB)).length;

  /** Runs b2m.sync and returns the notice it ended with (one that matches). */
  async function syncStopsWith(matches: RegExp, database = DB): Promise<Notice> {
    const since = sandbox.notices.length;
    assert.equal(await vscode.commands.executeCommand('b2m.sync', database), undefined, 'nothing was synced');
    const notice = await sandbox.notice((n) => matches.test(n.message), since);
    assert.doesNotMatch(notice.message, CLI_WORDING, 'VS Code says it with buttons');
    return notice;
  }

  it('a local file never downloaded: says so, and Download… takes the remote version, keeping a backup', async () => {
    carol.sqlite("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO users VALUES (1, 'ann'), (2, 'bob');");
    await syncDatabase(await carol.context(), DB);
    sandbox.sqlite("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'mine');");
    const notice = await syncStopsWith(/never downloaded/);
    assert.equal(notice.severity, 'warning');
    assert.match(notice.message, /^Syncing app\.db stopped: app\.db exists locally, but b2m never downloaded it, and the bucket already has versions of it\. Download the remote version/);
    assert.deepEqual(labels(notice), ['Download…', 'Show Log']);
    const downloaded = await sandbox.click<DownloadOutcome>(notice, 'Download…', { yes: true });
    assert.equal(downloaded.replaced, true);
    assert.ok(downloaded.backup && existsSync(downloaded.backup), 'your file is kept');
    await sandbox.api.model.refresh();
    assert.equal(status()?.sync, 'up-to-date');
  });

  it('edits no migration explains: Capture… or Download…', async () => {
    sandbox.sqlite("INSERT INTO users VALUES (3, 'cy');");
    const notice = await syncStopsWith(/local edits that no migration explains/);
    assert.equal(notice.severity, 'warning');
    assert.deepEqual(labels(notice), ['Capture…', 'Download…']);
    const captured = await sandbox.click<{ script?: string }>(notice, 'Capture…', 'add cy');
    assert.match(captured.script ?? '', /_add_cy\.py$/);
    await sandbox.api.model.refresh();
    assert.equal(status()?.uncaptured, false);
    assert.deepEqual(status()?.pending.map((m) => m.phrase), ['add_cy']);
  });

  it('the local file changed while it was being synced: nothing published, Capture… or Retry', async () => {
    const touch = await sandbox.writeMigration(
      'touch local',
      `${sqlMigration("INSERT INTO users VALUES (10, 'ten');")}local = sqlite3.connect('${DB}')\nlocal.execute("INSERT INTO users VALUES (99, 'written meanwhile')")\nlocal.commit()\nlocal.close()\n`,
    );
    const before = await versions();
    const notice = await syncStopsWith(/changed on disk while it was being synced/);
    assert.match(notice.message, /nothing was published\. Capture the new edits as a migration, then sync again\.$/);
    assert.deepEqual(labels(notice), ['Capture…', 'Retry']);
    assert.deepEqual(notice.actions[1]?.args, [DB, {}]);
    assert.equal(await versions(), before);
    rmSync(touch);
    await vscode.commands.executeCommand('b2m.download', DB, { yes: true });
  });

  it('others keep publishing: gives up after 5 rounds, with Retry', async () => {
    const ctx = await carol.context();
    const store = await ctx.store();
    let publishing = true;
    const carolPublishes = (async () => {
      while (publishing) {
        const [head] = await listDatabaseVersions(store, DB);
        await store.uploadBytes(DB, readFileSync(join(carol.dir, DB)), {
          info: encodeVersionInfo({ author: 'carol', ...(head ? { parent: head.id } : {}) }),
        });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      const notice = await syncStopsWith(/^Syncing app\.db stopped: Gave up on app\.db after 5 rounds/);
      assert.match(notice.message, /Nothing was lost; try again when the others are done\.$/);
      assert.deepEqual(labels(notice), ['Retry', 'Show Log']);
    } finally {
      publishing = false;
      await carolPublishes;
    }
  });

  it('someone else holds the lock: Wait for the Lock publishes once it is free', async () => {
    const lease = await takeLock(await carol.context(), DB, 'manual');
    try {
      const notice = await syncStopsWith(/is locked by carol@carols-laptop \(manual\) until/);
      assert.match(notice.message, /Nothing was uploaded\.$/);
      assert.deepEqual(labels(notice), ['Wait for the Lock', 'Retry']);
      const waiting = sandbox.click<SyncOutcome>(notice, 'Wait for the Lock');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await lease.release();
      const outcome = await waiting;
      assert.equal(outcome?.result, 'published');
      assert.deepEqual(outcome.applied.map((m) => m.phrase), ['add_cy']);
    } finally {
      await lease.release();
    }
  });

  it('the lock is lost during the sync (force-unlocked): its own message, and nothing published', async () => {
    const holder = await vscode.commands.executeCommand<{ lockId: string }>('b2m.lock', DB);
    const slow = await sandbox.writeMigration('slow', `import time\ntime.sleep(5)\n${sqlMigration("INSERT INTO users VALUES (20, 'slow');")}`);
    const before = await versions();
    const since = sandbox.notices.length;
    const syncing = vscode.commands.executeCommand('b2m.sync', DB);
    await forceUnlock(await (await carol.context()).store(), DB, holder.lockId);
    assert.equal(await syncing, undefined);
    const notice = await sandbox.notice((n) => /Lost the lock on app\.db/.test(n.message), since);
    assert.equal(notice.severity, 'error');
    assert.match(notice.message, /Nothing was published under it\. Retry takes the lock anew\.$/);
    assert.deepEqual(labels(notice), ['Retry', 'Show Log']);
    assert.equal(await versions(), before);
    rmSync(slow);
  });

  it('a migration that fails: Open Script, with the script\'s own hint', async () => {
    const broken = await sandbox.writeMigration('broken', 'raise RuntimeError("no such column: nope")\n');
    const notice = await syncStopsWith(/Migration \d+_broken\.py failed/);
    assert.equal(notice.severity, 'error');
    assert.deepEqual(labels(notice), ['Open Script', 'Retry', 'Show Log']);
    await sandbox.click(notice, 'Open Script');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, broken);
    rmSync(broken);
  });

  it('a migration that destroys data is published only once confirmed (the modal; here its "yes")', async () => {
    const before = await versions();
    const clear = await sandbox.writeMigration('clear users', sqlMigration('DELETE FROM users;'));
    const outcome = await vscode.commands.executeCommand<SyncOutcome>('b2m.sync', DB, { yes: true });
    assert.deepEqual(outcome.destructive.map((w) => w.kind), ['all-rows-deleted'], 'the warning that was confirmed');
    assert.equal(await versions(), before + 1);
    assert.ok(existsSync(clear));
  });

  it('published, but the local file could not be replaced: a success with a warning, and Download', async () => {
    sandbox.sqlite("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, 'a');", 'notes.db');
    const snapshots = join(sandbox.root, '.b2m', 'snapshots');
    renameSync(snapshots, `${snapshots}-aside`);
    writeFileSync(snapshots, 'a file where the snapshots folder should be');
    const since = sandbox.notices.length;
    let outcome: SyncOutcome;
    try {
      outcome = await vscode.commands.executeCommand<SyncOutcome>('b2m.sync', 'notes.db');
    } finally {
      rmSync(snapshots);
      renameSync(`${snapshots}-aside`, snapshots);
    }
    assert.equal(outcome.result, 'published');
    assert.ok(outcome.installProblem);
    const notice = await sandbox.notice((n) => /published notes\.db/.test(n.message), since);
    assert.equal(notice.severity, 'warning');
    assert.match(notice.message, /^b2m: published notes\.db v1 as its first version: uploaded .*Your local file was not replaced: .*Download puts the new version in its place\.$/);
    assert.deepEqual(labels(notice), ['Download']);
    await sandbox.click(notice, 'Download', { yes: true });
    await sandbox.api.model.refresh();
    assert.equal(status('notes.db')?.sync, 'up-to-date');
  });

  it('the bucket has no version of a database downloaded before: check b2m.json', async () => {
    await sandbox.writeConfig({ bucket: 'b2m-empty' });
    try {
      assert.equal(await vscode.commands.executeCommand('b2m.setCredentials', { keyId: sandbox.server.keyId, key: sandbox.server.key }), true);
      const notice = await syncStopsWith(/was downloaded from the bucket before, but the bucket has no version of it now/);
      assert.equal(notice.severity, 'error');
      assert.deepEqual(labels(notice), ['Open b2m.json', 'Show Log']);
      await sandbox.click(notice, 'Open b2m.json');
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, join(sandbox.root, 'b2m.json'));
    } finally {
      await sandbox.writeConfig({});
    }
  });
});
