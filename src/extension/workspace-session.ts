import * as vscode from 'vscode';
import { CONFIG_FILE_NAME, loadWorkspace, type Workspace } from '../core/config';
import type { EngineContext } from '../core/context';
import { currentIdentity, type Identity } from '../core/identity';
import type { ProgressListener } from '../core/progress';
import type { B2Credentials } from '../core/store/credentials';
import type { Store } from '../core/store/store';
import type { CredentialsSource, CredentialsStore } from './credentials';
import { Disposable } from './lifecycle';
import type { Logger } from './logger';
import { onDidChangeSettings, readSettings } from './settings';

export type SessionState =
  | { kind: 'no-config' }
  | { kind: 'invalid-config'; message: string }
  /** b2m.json is read, but the workspace is not trusted: nothing is run and the bucket is not contacted. */
  | { kind: 'restricted'; ws: Workspace }
  | { kind: 'no-credentials'; ws: Workspace }
  | { kind: 'ready'; ws: Workspace; credentialsSource: CredentialsSource };

export interface OperationHooks {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  onWarning?: (message: string) => void;
}

/**
 * The b2m workspace this window works on (the first folder holding a b2m.json), who is acting,
 * and the bucket connection, kept current as b2m.json, credentials, settings and workspace trust
 * change. Every engine call gets its EngineContext from here. In an untrusted workspace it only
 * reads b2m.json (Restricted Mode): b2m.json names the commands b2m runs and the server it sends
 * the key to, so nothing else happens until the workspace is trusted.
 */
export class WorkspaceSession extends Disposable {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<SessionState>());
  readonly onDidChange = this.changeEmitter.event;
  private current: SessionState = { kind: 'no-config' };
  private identity?: Identity;
  private store?: () => Promise<Store>;
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly credentials: CredentialsStore,
    private readonly log: Logger,
  ) {
    super();
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`));
    const reload = (): void => void this.reload();
    this.register(watcher.onDidCreate(reload));
    this.register(watcher.onDidChange(reload));
    this.register(watcher.onDidDelete(reload));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(reload));
    this.register(credentials.onDidChange(reload));
    this.register(onDidChangeSettings(reload));
    // load() passes VS Code's proxy setting to the store.
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('http.proxy')) reload();
      }),
    );
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(reload));
  }

  get state(): SessionState {
    return this.current;
  }

  /** The loaded b2m.json, whether or not credentials are there. */
  get workspace(): Workspace | undefined {
    return this.current.kind === 'ready' || this.current.kind === 'no-credentials' || this.current.kind === 'restricted' ? this.current.ws : undefined;
  }

  /** Re-reads b2m.json and the credentials; concurrent calls run one after the other. */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(() => this.load());
    return this.reloading;
  }

  /** An engine context for one operation; throws if the workspace is not ready. */
  engineContext(hooks: OperationHooks = {}): EngineContext {
    if (this.current.kind !== 'ready' || !this.identity || !this.store) {
      throw new Error('b2m is not ready: open a folder with b2m.json and set the credentials first.');
    }
    return {
      ws: this.current.ws,
      identity: this.identity,
      store: this.store,
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
      ...(hooks.onWarning ? { onWarning: hooks.onWarning } : {}),
    };
  }

  private async load(): Promise<void> {
    const { state: next, credentials } = await this.computeState();
    this.current = next;
    this.store = undefined;
    if (next.kind === 'ready' && credentials) {
      const ws = next.ws;
      // VS Code's proxy setting reaches the store's own connections explicitly (the environment's is read by the store).
      const proxy = vscode.workspace.getConfiguration('http').get<string>('proxy') || undefined;
      const options = { logger: (message: string) => this.log.trace(`store: ${message}`), ...(proxy ? { proxy } : {}) };
      this.store = lazyStore(ws, credentials, options);
    }
    this.log.info(`workspace: ${describeState(next)}`);
    this.changeEmitter.fire(next);
  }

  private async computeState(): Promise<{ state: SessionState; credentials?: B2Credentials }> {
    const root = await findConfigFolder();
    if (!root) return { state: { kind: 'no-config' } };
    let ws: Workspace;
    try {
      ws = applyMachineSettings(await loadWorkspace(root));
    } catch (error) {
      return { state: { kind: 'invalid-config', message: error instanceof Error ? error.message : String(error) } };
    }
    if (!vscode.workspace.isTrusted) return { state: { kind: 'restricted', ws } };
    this.identity = this.identityFor(ws.root);
    const found = await this.credentials.find(ws);
    if (!found) return { state: { kind: 'no-credentials', ws } };
    return { state: { kind: 'ready', ws, credentialsSource: found.source }, credentials: found.credentials };
  }

  /** The session id stays the same for the window's life: it is how "locked by you" is recognised. */
  private identityFor(root: string): Identity {
    const user = readSettings().user;
    const fresh = currentIdentity(user ? { ...process.env, B2M_USER: user } : process.env, root);
    return { ...fresh, session: this.identity?.session ?? fresh.session };
  }
}

/**
 * Opens the bucket on first use, once (a failed open is tried again next time). The B2 client
 * library is loaded then too, not while the extension activates.
 */
function lazyStore(ws: Workspace, credentials: B2Credentials, options: { logger: (message: string) => void; proxy?: string }): () => Promise<Store> {
  let opener: Promise<() => Promise<Store>> | undefined;
  return async () => {
    opener ??= import('../core/open-store').then(({ once, openWorkspaceStore }) => once(() => openWorkspaceStore(ws, credentials, options)));
    return (await opener)();
  };
}

async function findConfigFolder(): Promise<string | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, CONFIG_FILE_NAME));
      return folder.uri.fsPath;
    } catch {
      // no b2m.json in this folder
    }
  }
  return undefined;
}

function applyMachineSettings(ws: Workspace): Workspace {
  const python = readSettings().python;
  return python ? { ...ws, config: { ...ws.config, python } } : ws;
}

function describeState(state: SessionState): string {
  switch (state.kind) {
    case 'no-config':
      return `no ${CONFIG_FILE_NAME} in the open folders`;
    case 'invalid-config':
      return `invalid ${CONFIG_FILE_NAME}: ${state.message}`;
    case 'restricted':
      return `${state.ws.root} (bucket ${state.ws.config.bucket}) in Restricted Mode: nothing runs and the bucket is not contacted until the workspace is trusted`;
    case 'no-credentials':
      return `${state.ws.root} (bucket ${state.ws.config.bucket}), no credentials yet`;
    case 'ready':
      return `${state.ws.root} (bucket ${state.ws.config.bucket}${state.ws.config.endpoint ? ` at ${state.ws.config.endpoint}` : ''}), credentials from ${state.credentialsSource === 'environment' ? 'the environment' : 'secret storage'}`;
  }
}
