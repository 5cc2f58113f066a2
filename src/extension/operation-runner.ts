import * as vscode from 'vscode';
import type { EngineContext } from '../core/context';
import { CancelledError, isB2mError, type ErrorKind } from '../core/errors';
import type { ProgressEvent } from '../core/progress';
import { setBusy } from './context-keys';
import { Disposable } from './lifecycle';
import type { Logger } from './logger';
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
  /** Error kinds the caller handles itself (returned, not shown). */
  expect?: ErrorKind[];
}

export type OperationResult<T> = { ok: true; value: T } | { ok: false; error: unknown };

const SHOW_LOG = 'Show Log';

/**
 * Runs engine operations for commands: a progress notification with the engine's steps, the
 * Cancel button wired to an AbortSignal, the `b2m.busy` context key, warnings shown and logged,
 * errors as notifications with "Show Log", and a status refresh afterwards.
 */
export class OperationRunner extends Disposable {
  private running = 0;

  constructor(
    private readonly session: WorkspaceSession,
    private readonly model: StatusModel,
    private readonly log: Logger,
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
    this.log.info(`${operation.title}…`);
    try {
      const value = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: operation.title, cancellable: operation.cancellable ?? false },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort(new Error('Cancelled by the user')));
          const ctx = this.session.engineContext({
            signal: controller.signal,
            onProgress: (event) => {
              this.log.trace(`${event.step}: ${event.message}${fraction(event)}`);
              progress.report({ message: `${event.message}${fraction(event)}` });
            },
            onWarning: (message) => {
              this.log.warn(message);
              void vscode.window.showWarningMessage(message);
            },
          });
          return work(ctx);
        },
      );
      this.log.info(`${operation.title}: done in ${Math.round(performance.now() - started)} ms`);
      return { ok: true, value };
    } catch (error) {
      if (isB2mError(error) && operation.expect?.includes(error.kind)) {
        this.log.info(`${operation.title}: ${error.message}`);
      } else {
        this.report(operation.title, controller.signal.aborted ? new CancelledError() : error);
      }
      return { ok: false, error };
    } finally {
      this.leave(operation);
      void this.model.refresh();
    }
  }

  /** Shows an error the way every command does: message and hint, with a way to the log. */
  report(title: string, error: unknown): void {
    if (isB2mError(error) && error.kind === 'cancelled') {
      this.log.info(`${title}: cancelled`);
      void vscode.window.showInformationMessage(`${title}: cancelled. Nothing was changed.`);
      return;
    }
    this.log.error(title, error);
    const message = error instanceof Error ? error.message : String(error);
    const hint = isB2mError(error) && error.hint ? ` ${error.hint}` : '';
    void vscode.window.showErrorMessage(`${title} failed: ${message}${hint}`, SHOW_LOG).then((choice) => {
      if (choice === SHOW_LOG) this.log.show();
    });
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

function fraction(event: ProgressEvent): string {
  if (event.done === undefined || !event.total) return '';
  return ` (${Math.floor((100 * event.done) / event.total)}%)`;
}
