import type * as vscode from 'vscode';
import type { CredentialsStore } from '../credentials';
import type { LocalServerHost } from '../local-server-host';
import type { Logger } from '../logger';
import type { ManualLocks } from '../manual-locks';
import type { MigrationTestResults } from '../editor/migration-test-results';
import type { Notifier } from '../notices/notifier';
import type { OperationRunner } from '../operation-runner';
import type { StatusModel } from '../status/status-model';
import type { WorkspaceSession } from '../workspace-session';

/** What command handlers work with. */
export interface CommandServices {
  extensionUri: vscode.Uri;
  session: WorkspaceSession;
  credentials: CredentialsStore;
  model: StatusModel;
  runner: OperationRunner;
  notifier: Notifier;
  log: Logger;
  manualLocks: ManualLocks;
  testResults: MigrationTestResults;
  localServer: LocalServerHost;
  /** Reads all statuses now and restarts the polling interval. */
  refreshNow(): Promise<void>;
  /** Expands a database in the Databases view to show its versions. */
  revealVersions(database: string): void;
}

/** A command's implementation; it receives the arguments given to `executeCommand`. */
export type CommandHandler = (...args: never[]) => unknown;

/** The commands one module implements, by id (package.json names and titles them). */
export type CommandHandlers = Record<string, CommandHandler>;

/** For keybindings and automation, like the CLI's --yes: skips the modal confirmation. */
export interface ConfirmOptions {
  yes?: boolean;
}
