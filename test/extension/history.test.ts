// What the views say about a database's history, inside a real extension host against a local B2
// server whose large files are small: what a sync moved and how fast, a version overtaken by a
// teammate's (a fork), your base overtaken, and a restore that says what it undoes.
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { forceUnlock, readLockStatus } from '../../src/core/lock';
import { downloadDatabase } from '../../src/core/sync/download';
import { restoreVersion, type RestoreOutcome } from '../../src/core/sync/restore';
import { syncDatabase, type SyncOutcome } from '../../src/core/sync/sync';
import type { ProgressLine } from '../../src/extension/operation-runner';
import type { VersionNode } from '../../src/extension/views/tree-nodes';
import { DB, Sandbox, sqlMigration, type Teammate } from './support/sandbox';

/** About 8 MB: big enough for a sync over a slow link to show its speed. */
const NOTES = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 16000) INSERT INTO notes(body) SELECT printf('%0500d', v) FROM n;";

/** Markdown as it reads: without the escapes that keep names from becoming markup. */
const unescaped = (md: vscode.MarkdownString | string | undefined): string => (typeof md === 'string' ? md : (md?.value ?? '')).replace(/\\(.)/g, '$1');

describe('history in the views: transfers, forks and restores', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let carol: Teammate;
  let dave: Teammate;

  before(async () => {
    // Databases above 200 KB are published as large files, whose finish the server can be told to delay.
    sandbox = await Sandbox.open({ bucket: 'b2m-history', lock: { leaseSeconds: 60, settleSeconds: 1.5, maxUploadSeconds: 1 }, server: { minimumPartSize: 100_000 } });
    carol = await sandbox.teammate('carol');
    dave = await sandbox.teammate('dave');
    carol.sqlite(NOTES);
    await syncDatabase(await carol.context(), DB);
  });

  after(async () => sandbox?.close());

  const status = () => sandbox.api.model.entry(DB).status;

  async function versionNodes(): Promise<VersionNode[]> {
    return (await sandbox.api.databasesTree.getChildren({ kind: 'database', database: DB })).filter((n): n is VersionNode => n.kind === 'version');
  }

  it('a transfer shows bytes, speed and time left; a sync ends with what it moved', async () => {
    const since = sandbox.notices.length;
    const lines: ProgressLine[] = [];
    const listening = sandbox.api.runner.onDidReportProgress((line) => lines.push(line));
    sandbox.server.bandwidth.setRate(4_000_000);
    try {
      await vscode.commands.executeCommand('b2m.download', DB);
    } finally {
      sandbox.server.bandwidth.setRate(null);
      listening.dispose();
    }
    const downloading = lines.filter((l) => l.title === 'Downloading app.db').map((l) => l.message);
    assert.ok(
      downloading.some((m) => /^Downloading app\.db {2}\d+(\.\d)? MB \/ \d\.\d MB {2}\d+(\.\d)? MB\/s {2}ETA \d+ s$/.test(m)),
      `bytes, speed and time left in: ${downloading.join('\n')}`,
    );
    assert.match((await sandbox.notice((n) => /is now v1/.test(n.message), since)).message, /^b2m: app\.db is now v1 \(fetched \d\.\d MB of \d\.\d MB\)\.$/);

    await sandbox.writeMigration('rewrite early notes', sqlMigration("UPDATE notes SET body = replace(body, '0', 'x') WHERE id <= 5000;"));
    const outcome = await vscode.commands.executeCommand<SyncOutcome>('b2m.sync', DB);
    assert.equal(outcome.result, 'published');
    const notice = await sandbox.notice((n) => /^b2m: published app\.db v2/.test(n.message), since);
    assert.match(notice.message, /^b2m: published app\.db v2 with \d+_rewrite_early_notes\.py: uploaded \d\.\d MB of \d\.\d MB \(\d\.\d× less\); lock held \d/);
  });

  it('a version a teammate\'s upload overtook shows in the Databases view: by whom, and what it carried', async () => {
    for (const mate of [carol, dave]) await downloadDatabase(await mate.context(), DB);
    await carol.writeMigration('carol note', sqlMigration("INSERT INTO notes (id, body) VALUES (90001, 'from carol');"));
    await dave.writeMigration('dave note', sqlMigration("INSERT INTO notes (id, body) VALUES (90002, 'from dave');"));
    // Carol's last step is slow; meanwhile Dave breaks her lock and publishes on the same parent.
    sandbox.server.faults.delay('b2_finish_large_file', 6000);
    const stop = new AbortController();
    let confirming!: () => void;
    const finishing = new Promise<void>((resolve) => (confirming = resolve));
    const carolSync = syncDatabase(
      await carol.context({ signal: stop.signal, onProgress: (e) => e.step === 'confirm' && confirming(), onWarning: (m) => /overtaken by another one/.test(m) && stop.abort() }),
      DB,
    ).catch((error: unknown) => error);
    await Promise.race([finishing, carolSync.then((error) => assert.fail(`carol's sync ended before finishing: ${String(error)}`))]);
    const store = await (await dave.context()).store();
    const holder = (await readLockStatus(store, DB)).holder;
    assert.equal(holder?.owner, 'carol');
    await forceUnlock(store, DB, holder.lockId);
    assert.equal((await syncDatabase(await dave.context(), DB)).result, 'published');
    assert.equal(((await carolSync) as Error).name, 'CancelledError', 'carol stopped before healing the fork');

    await sandbox.api.model.refresh();
    const fork = status()?.forks[0];
    assert.deepEqual([fork?.version.number, fork?.version.author, fork?.by?.number, fork?.by?.author], [3, 'carol', 4, 'dave']);
    const v3 = (await versionNodes()).find((n) => n.number === 3)!;
    const item = sandbox.api.databasesTree.getTreeItem(v3);
    assert.equal(item.label, 'v3 (overtaken)');
    assert.match(String(item.contextValue), /\bovertaken\b/);
    const said = "v3 by carol was overtaken by dave's v4 (both built on v2): the migrations it carried (carol_note) are pending again; its author's next sync replays them.";
    assert.ok(unescaped(item.tooltip as vscode.MarkdownString).includes(said), unescaped(item.tooltip as vscode.MarkdownString));
    const [databaseNode] = await sandbox.api.databasesTree.getChildren();
    assert.ok(unescaped(sandbox.api.databasesTree.getTreeItem(databaseNode!).tooltip as vscode.MarkdownString).includes(said));
  });

  it('your base overtaken: the status bar says so, and the migrations it carried are pending again', async () => {
    const script = readdirSync(join(carol.dir, 'scripts')).find((name) => name.endsWith('_carol_note.py'))!;
    mkdirSync(join(sandbox.root, 'scripts'), { recursive: true });
    writeFileSync(join(sandbox.root, 'scripts', script), readFileSync(join(carol.dir, 'scripts', script))); // "git pull"
    const v3 = (await versionNodes()).find((n) => n.number === 3)!;
    await vscode.commands.executeCommand('b2m.download', v3);
    await sandbox.api.model.refresh();
    assert.equal(status()?.baseOvertaken?.version.number, 3);
    assert.deepEqual(status()?.pending.map((m) => m.phrase), ['carol_note'], 'pending again: the head lacks it');
    assert.match(sandbox.api.statusBar.view.text, /^\$\([\w-]+\) app\.db: your v3 overtaken · /);
    const said = "Your base v3 was overtaken by dave's v4 (both built on v2): the migrations it carried (carol_note) are pending again; your next sync replays them.";
    assert.ok(unescaped(sandbox.api.statusBar.view.tooltip).includes(said), sandbox.api.statusBar.view.tooltip);
    assert.equal(sandbox.api.databasesTree.getTreeItem((await versionNodes()).find((n) => n.number === 3)!).label, 'v3 (your base, overtaken)');
    assert.equal(basename(status()!.pending[0]!.path), script);
  });

  it('restoring asks first, saying what it undoes and that the version was overtaken', async () => {
    const v3 = (await versionNodes()).find((n) => n.number === 3)!;
    const since = sandbox.notices.length;
    const outcome = await vscode.commands.executeCommand<RestoreOutcome>('b2m.restoreVersion', v3, { yes: true });
    const question = await sandbox.notice((n) => n.modal === true, since);
    assert.equal(question.message, 'Make v3 of app.db the new head? (v3 was overtaken.)');
    assert.match(question.detail ?? '', /It undoes 1 migration that v4 has and v3 lacks: dave_note\. They are pending again/);
    assert.match(question.detail ?? '', /v3 was overtaken by dave's v4 \(both built on v2\): it is not in the head's history/);
    assert.deepEqual(question.actions.map((a) => a.label), ['Restore']);
    assert.equal(outcome.published.number, 5);
    assert.equal(outcome.published.restoredFrom, v3.version.id);
  });

  it('a teammate\'s new head costs one listing of the history: the status numbers it', async () => {
    await sandbox.api.model.refresh();
    sandbox.server.requests.clear();
    await sandbox.api.model.refresh();
    const steady = sandbox.server.requests.of('b2_list_file_versions').length;
    const v4 = (await versionNodes()).find((n) => n.number === 4)!;
    const restored = await restoreVersion(await dave.context(), DB, v4.version.id);
    sandbox.server.requests.clear();
    await sandbox.api.model.refresh();
    assert.equal(sandbox.server.requests.of('b2_list_file_versions').length, steady + 1, 'the new head\'s history is listed once');
    assert.ok(sandbox.api.statusBar.view.tooltip.includes(`Head: v6 (\`${restored.published.id}\`) by dave`), sandbox.api.statusBar.view.tooltip);
  });
});
