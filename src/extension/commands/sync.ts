import * as vscode from 'vscode';
import type { LintWarning } from '../../core/lint';
import { MergeConflictError } from '../../core/sync/conflicts';
import { DestructiveChangesError } from '../../core/sync/destructive-changes';
import { syncDatabase, type SyncOptions, type SyncOutcome } from '../../core/sync/sync';
import { readSettings } from '../settings';
import type { DiffPanel, PublishAnywayResult } from '../webview/diff-panel';
import { conflictReport } from '../webview/conflict-report';
import { databaseArgument } from './arguments';
import type { CommandHandlers, CommandServices } from './command-services';
import { syncedNotice } from './sync-notice';

/** What b2m.sync takes besides the database (keybindings, the conflicts view and retries pass them). */
export type SyncCommandOptions = Pick<SyncOptions, 'force' | 'waitMs'> & {
  /** Publish migrations that destroy data without asking (tests; the modal asks otherwise). */
  yes?: boolean;
};

/**
 * b2m.sync: publishes the pending migrations on the newest remote version (progress with steps,
 * cancellable) and says what it moved. Conflicts with the remote changes open the three-way view,
 * whose "Publish anyway" syncs again with force; other failures are notices with their own actions
 * (a lock held by someone else offers to wait for it).
 */
export function syncCommands(s: CommandServices): CommandHandlers {
  return {
    'b2m.sync': async (arg?: unknown, options?: SyncCommandOptions) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      const outcome = await sync(s, database, { ...(options?.force ? { force: true } : {}), ...(options?.waitMs ? { waitMs: options.waitMs } : {}), ...(options?.yes ? { yes: true } : {}) });
      return outcome === 'declined' ? undefined : outcome;
    },
  };
}

/** Syncs and shows how it went; 'declined' when the person chose not to publish destructive changes, undefined on other failures. */
async function sync(s: CommandServices, database: string, options: SyncCommandOptions): Promise<SyncOutcome | 'declined' | undefined> {
  const lease = s.manualLocks.get(database);
  const again = (more: SyncCommandOptions) => ({ command: 'b2m.sync', args: [database, { ...options, ...more }] });
  const result = await s.runner.run(
    {
      title: options.waitMs ? `Syncing ${database} (waiting for the lock)` : `Syncing ${database}`,
      database,
      activity: 'Syncing',
      cancellable: true,
      // Conflicts open their view; destructive changes the person declined need no notice.
      handles: (error) => (!options.force && error instanceof MergeConflictError) || error instanceof DestructiveChangesError,
      retry: again({}),
      ...(options.waitMs ? {} : { waitForLock: again({ waitMs: Math.max(readSettings().lockWaitMs, 1000) }) }),
    },
    (ctx) =>
      syncDatabase(ctx, database, {
        ...(options.force ? { force: true } : {}),
        ...(options.waitMs ? { waitMs: options.waitMs } : {}),
        ...(lease ? { lease } : {}),
        confirmDestructive: async (warnings) => options.yes === true || (await confirmDestructive(database, warnings)),
      }),
  );
  if (result.ok) {
    s.notifier.show(syncedNotice(result.value));
    return result.value;
  }
  if (result.error instanceof DestructiveChangesError) return 'declined';
  if (result.error instanceof MergeConflictError && !options.force) await showConflicts(s, result.error, options);
  return undefined;
}

/** A modal naming what the migrations destroy; publishing goes on only on "Publish Anyway". */
async function confirmDestructive(database: string, warnings: readonly LintWarning[]): Promise<boolean> {
  const detail = [...warnings.map((w) => `• ${w.message} ${w.hint}`), '', 'Nothing is published unless you confirm; the migrations stay pending.'].join('\n');
  return (await vscode.window.showWarningMessage(`Your migrations destroy data in ${database}. Publish anyway?`, { modal: true, detail }, 'Publish Anyway')) === 'Publish Anyway';
}

/** The three-way view of the conflicts; "Publish anyway" syncs again, publishing despite them. */
async function showConflicts(s: CommandServices, error: MergeConflictError, options: SyncCommandOptions): Promise<DiffPanel> {
  const { database, yourScripts } = error.comparison;
  s.log.warn(`${error.message} The conflicts view shows them.`);
  const { DiffPanel } = await import('../webview/diff-panel');
  const panel = DiffPanel.open({
    extensionUri: s.extensionUri,
    title: `Conflicts: ${database}`,
    conflictActions: {
      publishAnyway: async (): Promise<PublishAnywayResult> => {
        const outcome = await sync(s, database, { ...options, force: true });
        return outcome === undefined ? 'failed' : outcome === 'declined' ? 'declined' : 'published';
      },
      openMigration: async () => {
        const scripts = s.model.scriptsOf(database).filter((m) => yourScripts.includes(m.fileName));
        for (const [i, script] of scripts.entries()) await vscode.window.showTextDocument(vscode.Uri.file(script.path), { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: i < scripts.length - 1 });
      },
    },
  });
  panel.showConflicts(conflictReport(error.comparison));
  return panel;
}
