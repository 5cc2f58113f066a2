import * as vscode from 'vscode';
import { configureSqlJs } from '../core/diff/sqljs-loader';
import { registerCommands } from './commands';
import { setEmpty, setSessionState } from './context-keys';
import { CredentialsStore } from './credentials';
import { MigrationCodeLenses } from './editor/migration-code-lenses';
import { PYTHON_FILES } from './editor/migration-script';
import { ScriptDiagnostics } from './editor/script-diagnostics';
import { LocalServerHost } from './local-server-host';
import { Logger } from './logger';
import { ManualLocks } from './manual-locks';
import { MigrationTestResults } from './editor/migration-test-results';
import { Notifier } from './notices/notifier';
import { OperationRunner } from './operation-runner';
import { StatusBarController } from './status/status-bar-controller';
import { StatusModel } from './status/status-model';
import { StatusPoller } from './status/status-poller';
import { WorkspaceFileWatcher } from './status/workspace-file-watcher';
import { RESTRICTED_MODE_MESSAGE } from './trust';
import { DATABASES_VIEW_ID, DatabasesTreeProvider } from './views/databases-tree-provider';
import { PENDING_MIGRATIONS_VIEW_ID, PendingMigrationsTreeProvider } from './views/pending-migrations-tree-provider';
import type { B2mNode } from './views/tree-nodes';
import { WorkspaceSession } from './workspace-session';

/** What activate() returns: the extension's parts, for the integration tests. */
export interface B2mExtensionApi {
  session: WorkspaceSession;
  model: StatusModel;
  databasesTree: DatabasesTreeProvider;
  pendingMigrationsTree: PendingMigrationsTreeProvider;
  statusBar: StatusBarController;
  /** Announces every notification and question b2m shows. */
  notifier: Notifier;
  /** Announces the lines of progress notifications. */
  runner: OperationRunner;
  /** Resolves once the first status read after activation is done. */
  ready: Promise<void>;
  activationMs: number;
}

/** The locks of the running extension, for deactivate(). */
let manualLocksOfThisWindow: ManualLocks | undefined;

/**
 * Sets up views, status bar and commands; loads nothing else. The engine parts that talk to the
 * bucket, run Python, diff databases or show the diff view are loaded when first used (the first
 * status read starts right after activation).
 */
export function activate(context: vscode.ExtensionContext): B2mExtensionApi {
  const started = performance.now();
  const log = new Logger();
  const own = <T extends vscode.Disposable>(value: T): T => (context.subscriptions.push(value), value);
  own(log);
  configureSqlJs({ wasmPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'sql-wasm.wasm').fsPath });

  const credentials = own(new CredentialsStore(context.secrets));
  const session = own(new WorkspaceSession(credentials, log));
  const model = own(new StatusModel(session, log));
  const poller = own(new StatusPoller(model, log));
  const notifier = own(new Notifier(log));
  const runner = own(new OperationRunner(session, model, log, notifier));
  const testResults = own(new MigrationTestResults(context.workspaceState));
  const manualLocks = own(new ManualLocks(log, () => void model.refresh()));
  manualLocksOfThisWindow = manualLocks;
  const localServer = own(new LocalServerHost(context.globalStorageUri, log));
  own(new WorkspaceFileWatcher(session, () => void poller.poll()));

  const databasesTree = own(new DatabasesTreeProvider(session, model));
  const pendingMigrationsTree = own(new PendingMigrationsTreeProvider(session, model, testResults));
  const databasesView = own(vscode.window.createTreeView<B2mNode>(DATABASES_VIEW_ID, { treeDataProvider: databasesTree, showCollapseAll: true }));
  own(vscode.window.createTreeView<B2mNode>(PENDING_MIGRATIONS_VIEW_ID, { treeDataProvider: pendingMigrationsTree }));
  const statusBar = own(new StatusBarController(session, model));
  own(vscode.languages.registerCodeLensProvider(PYTHON_FILES, own(new MigrationCodeLenses(session, model))));
  own(new ScriptDiagnostics(session));

  own(
    session.onDidChange((state) => {
      void setSessionState(state);
      databasesView.message = state.kind === 'restricted' ? RESTRICTED_MODE_MESSAGE : undefined;
    }),
  );
  own(model.onDidChange(() => void setEmpty(model.isEmpty)));

  const revealVersions = (database: string): void => {
    databasesView.reveal({ kind: 'database', database }, { expand: true, select: true, focus: false }).then(undefined, (error: unknown) => log.warn(`could not reveal ${database}: ${String(error)}`));
  };
  for (const disposable of registerCommands({
    extensionUri: context.extensionUri,
    session,
    credentials,
    model,
    runner,
    notifier,
    log,
    manualLocks,
    testResults,
    localServer,
    refreshNow: () => poller.poll(),
    revealVersions,
  })) {
    own(disposable);
  }

  const ready = session.reload().then(() => poller.poll());
  const activationMs = performance.now() - started;
  log.info(`b2m activated in ${activationMs.toFixed(1)} ms`);
  void ready.then(() => log.info(`first status read done ${(performance.now() - started).toFixed(0)} ms after activation started`));
  return { session, model, databasesTree, pendingMigrationsTree, statusBar, notifier, runner, ready, activationMs };
}

/**
 * Called when the window closes or reloads: releases the locks taken by hand, so that the team
 * does not wait a whole lease for them (bounded: see RELEASE_ON_CLOSE_MS).
 */
export function deactivate(): Promise<void> | undefined {
  const locks = manualLocksOfThisWindow;
  manualLocksOfThisWindow = undefined;
  return locks?.releaseAll();
}
