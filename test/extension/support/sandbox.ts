// A b2m workspace for one integration test file, inside the extension host's one workspace folder:
// its own local B2 server and bucket, b2m.json pointing at them, the key in secret storage, and
// teammates working in folders of their own through the engine. close() puts the folder back as
// it was (the next test file starts from the demo b2m.json, with no database, script or .b2m/).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startLocalB2Server, type LocalB2Server, type LocalB2ServerOptions } from '../../../src/b2-server/index';
import { databaseKey, loadWorkspace } from '../../../src/core/config';
import type { EngineContext } from '../../../src/core/context';
import { createMigration } from '../../../src/core/migrations/create';
import { once, openWorkspaceStore } from '../../../src/core/open-store';
import { scriptsDir } from '../../../src/core/paths';
import type { ProgressListener } from '../../../src/core/progress';
import type { B2mExtensionApi } from '../../../src/extension/extension';
import type { Notice } from '../../../src/extension/notices/notice';

export const DB = 'app.db';

export interface SandboxOptions {
  bucket: string;
  /** More databases besides app.db. */
  moreDatabases?: string[];
  lock?: { leaseSeconds: number; settleSeconds: number; maxUploadSeconds: number };
  server?: Partial<LocalB2ServerOptions>;
}

/** A developer in a folder of their own (a clone of the same repository), driving the engine in this process. */
export interface Teammate {
  name: string;
  dir: string;
  context(hooks?: { signal?: AbortSignal; onProgress?: ProgressListener; onWarning?: (message: string) => void }): Promise<EngineContext>;
  sqlite(statements: string): void;
  writeMigration(phrase: string, body: string): Promise<string>;
}

export class Sandbox {
  /** Every notice the extension showed since the sandbox opened, oldest first. */
  readonly notices: Notice[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly folders: string[] = [];

  private constructor(
    readonly api: B2mExtensionApi,
    readonly root: string,
    readonly server: LocalB2Server,
    private readonly serverData: string,
    private readonly config: Record<string, unknown>,
    private readonly originalConfig: string,
  ) {
    this.subscriptions.push(api.notifier.onDidShow((notice) => this.notices.push(notice)));
  }

  static async open(options: SandboxOptions): Promise<Sandbox> {
    const extension = vscode.extensions.getExtension<B2mExtensionApi>('b2m.b2m');
    assert.ok(extension);
    const api = await extension.activate();
    await api.ready;
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const originalConfig = readFileSync(join(root, 'b2m.json'), 'utf8');
    const serverData = mkdtempSync(join(tmpdir(), 'b2m-ext-b2-'));
    const server = await startLocalB2Server({ port: 0, dataDir: serverData, buckets: [options.bucket], ...options.server });
    const config = {
      bucket: options.bucket,
      databases: [DB, ...(options.moreDatabases ?? [])],
      endpoint: server.url,
      migrationTimeoutSeconds: 30,
      lock: options.lock ?? { leaseSeconds: 10, settleSeconds: 0.3, maxUploadSeconds: 0.2 },
    };
    const sandbox = new Sandbox(api, root, server, serverData, config, originalConfig);
    await vscode.workspace.getConfiguration('b2m').update('user', 'alice', vscode.ConfigurationTarget.Workspace);
    await sandbox.writeConfig({});
    assert.equal(await vscode.commands.executeCommand('b2m.setCredentials', { keyId: server.keyId, key: server.key }), true);
    assert.equal(api.session.state.kind, 'ready');
    await api.model.refresh();
    return sandbox;
  }

  /** Rewrites b2m.json with these fields changed, and reloads it. */
  async writeConfig(changes: Record<string, unknown>): Promise<void> {
    writeFileSync(join(this.root, 'b2m.json'), `${JSON.stringify({ ...this.config, ...changes }, null, 2)}\n`);
    await this.api.session.reload();
  }

  /** Runs SQL on the workspace's local database with Python's sqlite3. */
  sqlite(statements: string, database = DB): void {
    runSql(join(this.root, database), statements);
  }

  /** Creates a migration of the workspace, as "b2m: Create Migration" does, with `body` as its Python. */
  async writeMigration(phrase: string, body: string, database = DB): Promise<string> {
    return writeScript(this.root, phrase, body, database);
  }

  async teammate(name: string): Promise<Teammate> {
    const dir = mkdtempSync(join(tmpdir(), `b2m-${name}-`));
    this.folders.push(dir);
    writeFileSync(join(dir, 'b2m.json'), JSON.stringify(this.config));
    const ws = await loadWorkspace(dir);
    const store = once(() => openWorkspaceStore(ws, { keyId: this.server.keyId, key: this.server.key }));
    return {
      name,
      dir,
      context: async (hooks = {}) => ({ ws, identity: { user: name, host: `${name}s-laptop`, session: `${name}-session` }, store, ...hooks }),
      sqlite: (statements) => runSql(join(dir, DB), statements),
      writeMigration: (phrase, body) => writeScript(dir, phrase, body, DB),
    };
  }

  /** Waits for a notice that `matches`, shown since `since` (an index into `notices`). */
  async notice(matches: (notice: Notice) => boolean, since = 0, timeoutMs = 20_000): Promise<Notice> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.notices.slice(since).find(matches);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such notice; shown: ${this.notices.slice(since).map((n) => `${n.severity}: ${n.message}`).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Runs the command of a notice's button, as a click does (plus `extra` arguments, e.g. { yes: true }). */
  async click<T>(notice: Notice, label: string, ...extra: unknown[]): Promise<T> {
    const action = notice.actions.find((a) => a.label === label);
    assert.ok(action?.command, `no button "${label}" in: ${notice.message} [${notice.actions.map((a) => a.label).join(', ')}]`);
    return vscode.commands.executeCommand<T>(action.command, ...(action.args ?? []), ...extra);
  }

  async close(): Promise<void> {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    writeFileSync(join(this.root, 'b2m.json'), this.originalConfig);
    for (const name of ['scripts', '.b2m', ...(this.config.databases as string[]).flatMap((db) => [db, `${db}-wal`, `${db}-shm`, `${db}-journal`])]) {
      rmSync(join(this.root, name), { recursive: true, force: true });
    }
    await this.api.session.reload();
    await this.server.close().catch(() => undefined);
    for (const dir of [this.serverData, ...this.folders]) rmSync(dir, { recursive: true, force: true });
  }
}

function runSql(path: string, statements: string): void {
  execFileSync('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit(); c.close()', path, statements]);
}

async function writeScript(root: string, phrase: string, body: string, database: string): Promise<string> {
  const ws = await loadWorkspace(root);
  const path = await createMigration({ scriptsDir: scriptsDir(ws), db: databaseKey(database), isDefault: ws.config.databases[0] === database, phrase });
  writeFileSync(path, body);
  return path;
}

/** A migration's Python that runs `sql` on the database it is given, in one transaction. */
export function sqlMigration(sql: string): string {
  return ['import sqlite3, sys', 'conn = sqlite3.connect(sys.argv[1])', 'with conn:', `    conn.executescript(${JSON.stringify(sql)})`, 'conn.close()', ''].join('\n');
}
