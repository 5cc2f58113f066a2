import { join } from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../core/config';
import type { EngineContext } from '../core/context';
import { CancelledError, isB2mError } from '../core/errors';
import { ProgressText } from '../core/progress';
import { setBusy } from './context-keys';
import { Disposable } from './lifecycle';
import type { Logger } from './logger';
import { failureNotice, type Command } from './notices/failure-notice';
import type { Notifier } from './notices/notifier';
import type { StatusModel } from './status/status-model';
import type { WorkspaceSession } from './workspace-session';

export interface Operation {
  /** Notification title, e.g. "Syncing app.db". */
  title: string;
  /** The database it works on: marked busy in the views and status bar meanwhile. */
  database?: string;
  /** Shown in the status bar while it runs, e.g. "Syncing". */
  activity?: string;
  cancellable?: boolean;
  /** Errors the caller handles itself (returned, not shown). */
  handles?: (error: unknown) => boolean;
  /** Runs the operation again: offered as "Retry" where trying again can help. */
  retry?: Command;
  /** Runs it again waiting for the lock: offered when someone else holds it. */
  waitForLock?: Command;
}

export type OperationResult<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A line of an operation's progress notification. */
export interface ProgressLine {
  title: string;
  message: string;
}

/**
 * Runs engine operations for commands: a progress notification with the engine's steps (transfers
 * with bytes, speed and time left), the Cancel button wired to an AbortSignal, the `b2m.busy`
 * context key, warnings shown and logged, failures as notices with the actions that fit them, and
 * a status refresh afterwards.
 */
export class OperationRunner extends Disposable {
  private running = 0;
  private readonly progressEmitter = this.register(new vscode.EventEmitter<ProgressLine>());
  /** Fires with each line an operation's progress notification shows. */
  readonly onDidReportProgress = this.progressEmitter.event;

  constructor(
    private readonly session: WorkspaceSession,
    private readonly model: StatusModel,
    private readonly log: Logger,
    private readonly notifier: Notifier,
  ) {
    super();
  }

  get busy(): boolean {
    return this.running > 0;
  }

  async run<T>(operation: Operation, work: (ctx: EngineContext) => Promise<T>): Promise<OperationResult<T>> {
    this.enter(operation);
    const started = performance.now();
    const controller = new AbortController();
    const lines = new ProgressText();
    this.log.info(`${operation.title}…`);
    try {
      const value = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: operation.title, cancellable: operation.cancellable ?? false },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort(new Error('Cancelled by the user')));
          const ctx = this.session.engineContext({
            signal: controller.signal,
            onProgress: (event) => {
              const message = lines.describe(event);
              this.log.trace(`${event.step}: ${message}`);
              progress.report({ message });
              this.progressEmitter.fire({ title: operation.title, message });
            },
            onWarning: (message) => {
              this.log.warn(message);
              this.notifier.show({ severity: 'warning', message, actions: [] });
            },
          });
          return work(ctx);
        },
      );
      this.log.info(`${operation.title}: done in ${Math.round(performance.now() - started)} ms`);
      return { ok: true, value };
    } catch (error) {
      if (operation.handles?.(error)) {
        this.log.info(`${operation.title}: ${error instanceof Error ? error.message : String(error)}`);
      } else {
        this.report(operation.title, controller.signal.aborted ? new CancelledError() : error, operation);
      }
      return { ok: false, error };
    } finally {
      this.leave(operation);
      void this.model.refresh();
    }
  }

  /** Shows a failure the way every command does: in its own words, with the actions that fit it. */
  report(title: string, error: unknown, operation: Pick<Operation, 'database' | 'retry' | 'waitForLock'> = {}): void {
    if (isB2mError(error) && error.kind === 'cancelled') {
      this.log.info(`${title}: cancelled`);
      this.notifier.show({ severity: 'info', message: `${title}: cancelled. Nothing was changed.`, actions: [] });
      return;
    }
    this.log.error(title, error);
    const root = this.session.workspace?.root;
    this.notifier.show(failureNotice(title, error, { ...operation, ...(root ? { configFile: join(root, CONFIG_FILE_NAME) } : {}) }));
  }

  private enter(operation: Operation): void {
    if (this.running++ === 0) void setBusy(true);
    if (operation.database && operation.activity) this.model.setActivity(operation.database, operation.activity);
  }

  private leave(operation: Operation): void {
    if (--this.running === 0) void setBusy(false);
    if (operation.database && operation.activity) this.model.setActivity(operation.database, undefined);
  }
}
