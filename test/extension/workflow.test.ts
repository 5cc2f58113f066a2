// The extension inside a real extension host, against a local B2 server started by this test:
// every command, the trees' contents and the status bar through a team workflow. The tests run in
// order and build on each other, like a developer's session.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startLocalB2Server, type LocalB2Server } from '../../src/b2-server/index';
import { loadWorkspace } from '../../src/core/config';
import type { EngineContext } from '../../src/core/context';
import type { DiffResult } from '../../src/core/diff/types';
import type { Lease } from '../../src/core/lock';
import { once, openWorkspaceStore } from '../../src/core/open-store';
import { remoteDatabaseName } from '../../src/core/paths';
import { takeLock } from '../../src/core/sync/take-lock';
import type { SyncOutcome } from '../../src/core/sync/sync';
import { encodeVersionInfo } from '../../src/core/versions/version-info';
import type { B2mExtensionApi } from '../../src/extension/extension';
import type { B2mNode, MigrationNode, VersionNode } from '../../src/extension/views/tree-nodes';

const BUCKET = 'b2m-ext-test';
const DB = 'app.db';

describe('b2m extension against a local B2 server', function () {
  this.timeout(60_000);
  let api: B2mExtensionApi;
  let root: string;
  let server: LocalB2Server;
  let serverData: string;
  let carolLease: Lease | undefined;

  before(async () => {
    const extension = vscode.extensions.getExtension<B2mExtensionApi>('b2m.b2m');
    assert.ok(extension);
    api = await extension.activate();
    await api.ready;
    root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    serverData = mkdtempSync(join(tmpdir(), 'b2m-ext-b2-'));
    server = await startLocalB2Server({ port: 0, dataDir: serverData, buckets: [BUCKET] });
    await vscode.workspace.getConfiguration('b2m').update('user', 'alice', vscode.ConfigurationTarget.Workspace);
    writeConfig(server.url);
    await api.session.reload();
  });

  after(async () => {
    await carolLease?.release();
    await server.close().catch(() => {});
    rmSync(serverData, { recursive: true, force: true });
  });

  function writeConfig(endpoint: string): void {
    const config = { bucket: BUCKET, databases: [DB], endpoint, migrationTimeoutSeconds: 30, lock: { leaseSeconds: 10, settleSeconds: 0.3, maxUploadSeconds: 0.2 } };
    writeFileSync(join(root, 'b2m.json'), `${JSON.stringify(config, null, 2)}\n`);
  }

  /** Another developer on the same bucket, driving the engine directly. */
  async function carol(): Promise<EngineContext> {
    const ws = await loadWorkspace(root);
    return {
      ws,
      identity: { user: 'carol', host: 'carols-laptop', session: 'carol-session' },
      store: once(() => openWorkspaceStore(ws, { keyId: server.keyId, key: server.key })),
    };
  }

  function sqlite(statements: string): void {
    execFileSync('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit(); c.close()', join(root, DB), statements]);
  }

  const status = () => api.model.entry(DB).status;
  const statusBarText = () => api.statusBar.view.text;

  async function databaseItem(): Promise<vscode.TreeItem> {
    const [node] = await api.databasesTree.getChildren();
    assert.ok(node, 'the Databases view lists no database');
    return api.databasesTree.getTreeItem(node);
  }

  async function versionNodes(): Promise<VersionNode[]> {
    const nodes = await api.databasesTree.getChildren({ kind: 'database', database: DB });
    return nodes.filter((n): n is VersionNode => n.kind === 'version');
  }

  function pendingNodes(): MigrationNode[] {
    return api.pendingMigrationsTree.getChildren({ kind: 'database', database: DB }).filter((n: B2mNode): n is MigrationNode => n.kind === 'migration');
  }

  /** Label and description of every row of both views, as a person reads them (expanded), with its depth. */
  async function rowTexts(): Promise<{ text: string; depth: number }[]> {
    const row = (item: vscode.TreeItem, depth: number): { text: string; depth: number } => {
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      return { text: `${label} ${typeof item.description === 'string' ? item.description : ''}`.trim(), depth };
    };
    const rows: { text: string; depth: number }[] = [];
    for (const node of await api.databasesTree.getChildren()) {
      rows.push(row(api.databasesTree.getTreeItem(node), 0));
      for (const child of await api.databasesTree.getChildren(node)) rows.push(row(api.databasesTree.getTreeItem(child), 1));
    }
    for (const node of api.pendingMigrationsTree.getChildren()) {
      rows.push(row(api.pendingMigrationsTree.getTreeItem(node), 0));
      for (const child of api.pendingMigrationsTree.getChildren(node)) rows.push(row(api.pendingMigrationsTree.getTreeItem(child), 1));
    }
    return rows;
  }

  /** Characters a row of the sidebar shows at its default width: 35 at the top, 4 fewer per level down. */
  const sidebarCharacters = (depth: number): number => 35 - 4 * depth;

  /** The diff panels open, once the workbench has reported its tabs (it does so asynchronously). */
  async function diffTabs(): Promise<vscode.Tab[]> {
    const find = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('b2m.diff'));
    for (let waited = 0; find().length === 0 && waited < 5000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    return find();
  }

  /** Starts a command that asks through quick picks, then answers each pick with its first item. */
  async function runWithQuickPicks<T>(command: string, arg: unknown, picks: number): Promise<T> {
    const running = vscode.commands.executeCommand<T>(command, arg);
    for (let i = 0; i < picks; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    return running;
  }

  it('asks for credentials before anything else (no key in the environment)', async () => {
    assert.equal(process.env.B2_APPLICATION_KEY_ID, undefined);
    assert.equal(api.session.state.kind, 'no-credentials');
    assert.deepEqual(await api.databasesTree.getChildren(), []);
    assert.equal(api.statusBar.view.visible, false);
  });

  it('b2m.setCredentials stores the key in SecretStorage, not in settings', async () => {
    assert.equal(await vscode.commands.executeCommand('b2m.setCredentials', { keyId: server.keyId, key: server.key }), true);
    assert.equal(api.session.state.kind, 'ready');
    await api.model.refresh();
    const settings = readFileSync(join(root, '.vscode', 'settings.json'), 'utf8');
    assert.ok(!settings.includes(server.key), 'the key leaked into settings.json');
  });

  it('shows "nothing yet" while no database exists anywhere', async () => {
    assert.equal(status()?.sync, 'missing');
    assert.equal(api.model.isEmpty, true);
    assert.deepEqual(await api.databasesTree.getChildren(), []);
  });

  it('lists a local-only database, and b2m.sync publishes it as the first version', async () => {
    sqlite('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO users VALUES (1, "ann"), (2, "bob");');
    await vscode.commands.executeCommand('b2m.refresh');
    assert.equal(status()?.sync, 'only-local');
    assert.match(String((await databaseItem()).description), /only local/);

    const outcome = await vscode.commands.executeCommand<SyncOutcome>('b2m.sync', DB);
    assert.equal(outcome?.result, 'published');
    assert.equal(outcome.scenario, 'first-version');
    await api.model.refresh();
    assert.equal(status()?.sync, 'up-to-date');
    assert.match(statusBarText(), /\$\(check\) app\.db: up to date/);
    const versions = await versionNodes();
    assert.equal(versions.length, 1);
    const item = api.databasesTree.getTreeItem(versions[0]!);
    assert.equal(item.label, 'v1 (head, your base)');
    assert.match(String(item.description), /alice/);
  });

  it('shows a lock taken by another developer in the status bar and the tree', async () => {
    carolLease = await takeLock(await carol(), DB, 'manual');
    await vscode.commands.executeCommand('b2m.refresh');
    assert.equal(status()?.lock, 'locked-by-other');
    assert.match(statusBarText(), /^\$\(lock\) app\.db: locked by carol until \d/);
    assert.match(api.statusBar.view.tooltip, /carol@carols\\?-laptop/);
    assert.match(String((await databaseItem()).contextValue), /\block-locked-by-other\b/);
  });

  it('b2m.createMigration writes the script, opens it, and the database becomes "ahead"', async () => {
    const path = await vscode.commands.executeCommand<string>('b2m.createMigration', { database: DB, phrase: 'add carol', sql: "INSERT INTO users VALUES (3, 'carol');" });
    assert.ok(path && existsSync(path));
    assert.match(path, /scripts\/\d{23}_add_carol\.py$/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path);
    await api.model.refresh();
    assert.equal(status()?.sync, 'ahead');
    assert.match(statusBarText(), /locked by carol until .* · 1 to push/);
    const pending = pendingNodes();
    assert.deepEqual(pending.map((n) => [n.fileName.replace(/^\d+_/, ''), n.state]), [['add_carol.py', 'new']]);
  });

  it('every row fits the default sidebar width, even with a lock, a migration to push and versions', async () => {
    const rows = await rowTexts();
    const texts = rows.map((row) => row.text);
    assert.ok(texts.some((text) => text.startsWith('v1 (head, your base)')) && texts.some((text) => text.startsWith('add_carol')), texts.join('\n'));
    const tooLong = rows.filter((row) => row.text.length > sidebarCharacters(row.depth)).map((row) => row.text);
    assert.deepEqual(tooLong, [], 'rows wider than the default sidebar');
  });

  it('b2m.testMigrations runs them on a copy, shows the diff and marks them tested', async () => {
    const outcome = await vscode.commands.executeCommand<{ diff: DiffResult }>('b2m.testMigrations', DB);
    const users = outcome.diff.tables.find((t) => t.table === 'users');
    assert.equal(users?.summary.inserts, 1);
    assert.equal((await diffTabs()).length, 1, 'no diff panel opened');
    assert.deepEqual(pendingNodes().map((n) => n.state), ['tested']);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('b2m.sync is blocked by the other developer\'s lock and uploads nothing', async () => {
    const before = (await versionNodes()).length;
    const result = await vscode.commands.executeCommand('b2m.sync', DB, { waitMs: 700 });
    assert.equal(result, undefined);
    await api.model.refresh();
    assert.equal((await versionNodes()).length, before);
    assert.equal(status()?.sync, 'ahead');
  });

  it('b2m.sync publishes the migration once the lock is free; the versions tree grows', async () => {
    await carolLease?.release();
    carolLease = undefined;
    const outcome = await vscode.commands.executeCommand<SyncOutcome>('b2m.sync', DB);
    assert.equal(outcome?.result, 'published');
    assert.deepEqual(outcome.applied.map((m) => m.phrase), ['add_carol']);
    await api.model.refresh();
    assert.equal(status()?.sync, 'up-to-date');
    assert.match(statusBarText(), /up to date/);
    const versions = await versionNodes();
    assert.deepEqual(versions.map((v) => api.databasesTree.getTreeItem(v).label), ['v2 (head, your base)', 'v1']);
    const head = api.databasesTree.getTreeItem(versions[0]!);
    assert.match(String(head.description), /^alice\b/);
    const headTooltip = (head.tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1'); // as it reads, without the escapes
    assert.match(headTooltip, /Newest migration: add_carol/);
    assert.ok(headTooltip.includes(versions[0]!.version.id), 'the full version id is in the tooltip');
    assert.match(headTooltip, /Built on: v1 \(`/);
    assert.match(headTooltip, /Uploaded .*\b(UTC|GMT)/, 'the upload time names its time zone');
    assert.deepEqual(pendingNodes(), []);
  });

  it('the status bar tooltip names the head and your base by number, with the full id and the time zone', async () => {
    const [v2] = await versionNodes();
    const tooltip = api.statusBar.view.tooltip;
    assert.ok(tooltip.includes(`Head: v2 (\`${v2!.version.id}\`)`), tooltip);
    assert.match(tooltip, /Your base: the head/);
    assert.match(tooltip, /Checked .*\b(UTC|GMT)/);
  });

  it('diffs two versions picked in the tree (select, then diff with selected)', async () => {
    const [v2, v1] = await versionNodes();
    await vscode.commands.executeCommand('b2m.selectVersionForDiff', v1);
    const diff = await vscode.commands.executeCommand<DiffResult>('b2m.diffWithSelectedVersion', v2);
    assert.equal(diff.a, 'app.db v1');
    assert.equal(diff.b, 'app.db v2');
    const inserted = diff.tables.find((t) => t.table === 'users')?.rows.filter((r) => r.kind === 'insert');
    assert.deepEqual(inserted?.map((r) => r.values[1]), [{ type: 'text', value: 'carol' }]);
    assert.ok((await diffTabs()).length >= 1, 'no diff panel opened');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('b2m.diffWithLocal compares a version with the local file', async () => {
    const [, v1] = await versionNodes();
    const diff = await vscode.commands.executeCommand<DiffResult>('b2m.diffWithLocal', v1);
    assert.equal(diff.b, 'app.db (local)');
    assert.equal(diff.tables.find((t) => t.table === 'users')?.summary.inserts, 1);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('b2m.diff asks for both sides in quick picks', async () => {
    const diff = await runWithQuickPicks<DiffResult>('b2m.diff', DB, 2);
    assert.equal(diff.a, 'app.db (local)');
    assert.equal(diff.b, 'app.db v2');
    assert.equal(diff.sql.trim(), '');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('b2m.showHistory lists the versions and runs the action chosen for one', async () => {
    const diff = await runWithQuickPicks<DiffResult>('b2m.showHistory', DB, 2);
    assert.equal(diff.a, 'app.db v2');
    assert.equal(diff.b, 'app.db (local)');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('b2m.lock holds the lock ("locked by you") until b2m.unlock', async () => {
    const holder = await vscode.commands.executeCommand<{ owner: string }>('b2m.lock', DB);
    assert.equal(holder.owner, 'alice');
    await api.model.refresh();
    assert.equal(status()?.lock, 'locked-by-me');
    assert.match(statusBarText(), /locked by you/);
    assert.equal(await vscode.commands.executeCommand('b2m.unlock', DB), true);
    await api.model.refresh();
    assert.equal(status()?.lock, 'free');
  });

  it('b2m.forceUnlock removes another developer\'s lock (confirmed)', async () => {
    carolLease = await takeLock(await carol(), DB, 'sync');
    await api.model.refresh();
    assert.equal(status()?.lock, 'locked-by-other');
    assert.equal(await vscode.commands.executeCommand('b2m.forceUnlock', DB, { yes: true }), true);
    await api.model.refresh();
    assert.equal(status()?.lock, 'free');
    carolLease = undefined;
  });

  it('b2m.download of an older version puts the database behind; of the head, up to date again', async () => {
    const [, v1] = await versionNodes();
    await vscode.commands.executeCommand('b2m.download', v1);
    await api.model.refresh();
    assert.equal(status()?.baseVersionId, v1!.version.id);
    // v1 lacks add_carol, but the head (cached here) has it: only behind, nothing to push.
    assert.equal(status()?.sync, 'behind');
    assert.equal(status()?.pendingAgainst, 'head');
    assert.deepEqual(status()?.pending, []);
    assert.match(statusBarText(), /behind/);
    await vscode.commands.executeCommand('b2m.download', DB);
    await api.model.refresh();
    assert.equal(status()?.sync, 'up-to-date');
  });

  it('b2m.captureLocalEdits turns edits no migration explains into a script', async () => {
    sqlite("INSERT INTO users VALUES (4, 'dave');");
    await api.model.refresh();
    assert.equal(status()?.uncaptured, true);
    assert.match(statusBarText(), /uncaptured edits/);
    const outcome = await vscode.commands.executeCommand<{ script?: string }>('b2m.captureLocalEdits', DB, 'add dave');
    assert.ok(outcome.script);
    assert.match(readFileSync(outcome.script, 'utf8'), /'dave'/);
    await api.model.refresh();
    assert.equal(status()?.uncaptured, false);
    assert.deepEqual(pendingNodes().map((n) => n.fileName.replace(/^\d+_/, '')), ['add_dave.py']);
    const synced = await vscode.commands.executeCommand<SyncOutcome>('b2m.sync', DB);
    assert.equal(synced.result, 'published');
    await api.model.refresh();
  });

  it('b2m.restoreVersion makes an old version the new head (confirmed), keeping history', async () => {
    const before = await versionNodes();
    const v1 = before.at(-1)!;
    const outcome = await vscode.commands.executeCommand<{ published: { restoredFrom?: string } }>('b2m.restoreVersion', v1, { yes: true });
    assert.equal(outcome.published.restoredFrom, v1.version.id);
    await api.model.refresh();
    const after = await versionNodes();
    assert.equal(after.length, before.length + 1);
    assert.equal(status()?.sync, 'ahead', 'the scripts undone by the restore are pending again');
  });

  it('names a head another developer just published by its number, after one refresh', async () => {
    const before = await versionNodes();
    const ctx = await carol();
    await (await ctx.store()).uploadBytes(remoteDatabaseName(ctx.ws, DB), readFileSync(join(root, DB)), {
      info: encodeVersionInfo({ author: 'carol', parent: before[0]!.version.id }),
    });
    await api.model.refresh();
    assert.match(api.statusBar.view.tooltip, new RegExp(`Head: v${before.length + 1} \\(\`[^\`]+\`\\) by carol`));
  });

  it('b2m.initWorkspace writes b2m.json and git-ignores .b2m/ in a folder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'b2m-init-'));
    try {
      const file = await vscode.commands.executeCommand<string>('b2m.initWorkspace', { bucket: 'team-bucket', databases: ['shop.db'], folder });
      assert.equal(file, join(folder, 'b2m.json'));
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).databases, ['shop.db']);
      assert.match(readFileSync(join(folder, '.gitignore'), 'utf8'), /^\.b2m\/$/m);
      assert.ok(existsSync(join(folder, 'scripts')));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('b2m.refresh re-reads the status', async () => {
    const before = api.model.refreshedAt!;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await vscode.commands.executeCommand('b2m.refresh');
    assert.ok(api.model.refreshedAt! > before);
  });

  it('b2m.startLocalServer serves a demo workspace whose endpoint is a local port', async () => {
    await server.close();
    const url = await vscode.commands.executeCommand<string>('b2m.startLocalServer');
    assert.equal(url, server.url);
    await api.model.refresh();
    // The extension's own server starts with an empty bucket: the local file is all there is.
    assert.equal(status()?.sync, 'only-local');
  });
});
