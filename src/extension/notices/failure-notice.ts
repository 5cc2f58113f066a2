import * as vscode from 'vscode';
import { ConflictError, isB2mError, LockBlockedError, LockLostError, type B2mError } from '../../core/errors';
import { MigrationFailedError } from '../../core/migrations/errors';
import { CheckScriptFailedError } from '../../core/sqlite/errors';
import { timeWithZone } from '../time-format';
import { SHOW_LOG, type Notice, type NoticeAction } from './notice';

/** What the operation that failed was, so that its notice can offer to run it again. */
export interface FailureContext {
  /** The database it worked on. */
  database?: string;
  /** Runs the operation again. */
  retry?: Command;
  /** Runs it again, waiting for a lock someone else holds. */
  waitForLock?: Command;
  /** b2m.json, for failures that come from what it says. */
  configFile?: string;
}

export interface Command {
  command: string;
  args?: unknown[];
}

/**
 * The notification for an operation that failed: each kind of failure in its own words, with the
 * buttons that lead on from it. The engine's hints are written for the command line (`--force`,
 * `--wait`); here buttons say it, so the hints are VS Code's own wherever they name CLI options.
 */
export function failureNotice(title: string, error: unknown, context: FailureContext = {}): Notice {
  if (!isB2mError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return { severity: 'error', message: `${title} failed: ${message} This is a bug in b2m; the log has the details.`, actions: [SHOW_LOG] };
  }
  const retry = context.retry ? [{ label: 'Retry', ...context.retry }] : [];
  const on = (database: string | undefined, command: string, label: string): NoticeAction[] => (database ? [{ label, command, args: [database] }] : []);
  const capture = on(context.database, 'b2m.captureLocalEdits', 'Capture…');
  const download = on(context.database, 'b2m.download', 'Download…');
  const failed = (severity: Notice['severity'], hint: string | undefined, actions: NoticeAction[], verb = 'failed'): Notice => ({
    severity,
    message: `${title} ${verb}: ${error.message}${hint ? ` ${hint}` : ''}`,
    actions,
  });
  if (error instanceof ConflictError) {
    switch (error.reason) {
      case 'uncaptured':
        return failed('warning', 'Capture them as a migration to keep them, or download the remote version over them (your file is backed up first).', [...capture, ...download], 'stopped');
      case 'not-downloaded':
        return failed('warning', 'Download the remote version (your file is backed up first), then turn your changes into a migration.', [...download, SHOW_LOG], 'stopped');
      case 'remote-missing': {
        const open = context.configFile ? [{ label: 'Open b2m.json', command: 'vscode.open', args: [vscode.Uri.file(context.configFile)] }] : [];
        return failed('error', 'Check the bucket and prefix in b2m.json: b2m never deletes versions, so someone removed them.', [...open, SHOW_LOG], 'stopped');
      }
      case 'changed-during-sync':
        return failed('warning', 'Capture the new edits as a migration, then sync again.', [...capture, ...retry], 'stopped');
      case 'gave-up':
        return failed('warning', 'Nothing was lost; try again when the others are done.', [...retry, SHOW_LOG], 'stopped');
      case 'overlap':
        return failed('warning', error.hint, [...retry, SHOW_LOG], 'stopped');
    }
  }
  if (error instanceof LockBlockedError) {
    const { holder } = error;
    const wait = context.waitForLock ? [{ label: 'Wait for the Lock', ...context.waitForLock }] : [];
    return {
      severity: 'warning',
      message: `${title} stopped: ${holder.database} is locked by ${holder.owner}@${holder.host} (${holder.operation}) until ${timeWithZone(holder.expires)}. Nothing was uploaded.`,
      actions: [...wait, ...retry],
    };
  }
  if (error instanceof LockLostError) {
    return failed('error', `Nothing was published under it.${retry.length ? ' Retry takes the lock anew.' : ''}`, [...retry, SHOW_LOG]);
  }
  return failed('error', hintOf(error), [...actionsOf(error), ...retry, SHOW_LOG]);
}

function hintOf(error: B2mError): string | undefined {
  const script = failedScript(error);
  // A sync words its hint for the command line ("b2m sync"); the script's own hint is neutral.
  if (script) return script.hint;
  return error.hint;
}

function actionsOf(error: B2mError): NoticeAction[] {
  if (error.kind === 'auth') return [{ label: 'Set Credentials…', command: 'b2m.setCredentials' }];
  const script = failedScript(error);
  if (script instanceof MigrationFailedError) return [{ label: 'Open Script', command: 'vscode.open', args: [vscode.Uri.file(script.migration.path)] }];
  if (script instanceof CheckScriptFailedError) return [{ label: 'Open Check Script', command: 'vscode.open', args: [vscode.Uri.file(script.checkScript)] }];
  return [];
}

/** The migration or check script that failed, also when the error wraps it. */
function failedScript(error: B2mError): MigrationFailedError | CheckScriptFailedError | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e instanceof MigrationFailedError || e instanceof CheckScriptFailedError) return e;
  }
  return undefined;
}
