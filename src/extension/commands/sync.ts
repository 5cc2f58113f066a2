import * as vscode from 'vscode';
import { ConflictError, isB2mError, LockBlockedError, type ErrorKind } from '../../core/errors';
import { syncDatabase, type SyncOptions, type SyncOutcome } from '../../core/sync/sync';
import { readSettings } from '../settings';
import { timeWithZone } from '../time-format';
import { databaseArgument } from './arguments';
import type { CommandHandlers, CommandServices } from './command-services';

const SYNC_ANYWAY = 'Sync Anyway';
const WAIT_AND_RETRY = 'Wait and Retry';
const CAPTURE = 'Capture Local Edits';

/**
 * b2m.sync: publishes the pending migrations on the newest remote version (progress with steps,
 * cancellable). Overlapping remote changes (scenario 2) are shown and only overridden after a
 * modal confirmation; a lock held by someone else (scenario 3) offers to wait for it.
 */
export function syncCommands(s: CommandServices): CommandHandlers {
  return {
    'b2m.sync': async (arg?: unknown, options?: Pick<SyncOptions, 'force' | 'waitMs'>) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      if (s.model.entry(database).status?.uncaptured) {
        const choice = await vscode.window.showWarningMessage(
          `b2m: ${database} has local edits that no migration explains; syncing would lose them.`,
          CAPTURE,
        );
        if (choice === CAPTURE) await vscode.commands.executeCommand('b2m.captureLocalEdits', database);
        return undefined;
      }
      const lease = s.manualLocks.get(database);
      return syncWithChoices(s, database, { ...(options?.force ? { force: true } : {}), ...(options?.waitMs ? { waitMs: options.waitMs } : {}), ...(lease ? { lease } : {}) });
    },
  };
}

async function syncWithChoices(s: CommandServices, database: string, options: SyncOptions): Promise<SyncOutcome | undefined> {
  // Handled below: the overlap (unless already forced) and someone else's lock (unless already waited).
  const expect: ErrorKind[] = [...(options.force ? [] : (['conflict'] as const)), ...(options.waitMs ? [] : (['blocked'] as const))];
  const result = await s.runner.run(
    {
      title: options.waitMs ? `Syncing ${database} (waiting for the lock)` : `Syncing ${database}`,
      database,
      activity: 'Syncing',
      cancellable: true,
      expect,
    },
    (ctx) => syncDatabase(ctx, database, options),
  );
  if (result.ok) {
    void vscode.window.showInformationMessage(`b2m: ${describeOutcome(result.value, await s.model.versionName(database, result.value.head.id))}`);
    return result.value;
  }
  const error = result.error;
  if (error instanceof ConflictError && !options.force) {
    const choice = await vscode.window.showWarningMessage(
      `Remote changes to ${database} overlap yours.`,
      { modal: true, detail: `${error.message}\n\n${error.hint ?? ''}\n\n"${SYNC_ANYWAY}" publishes your migrations on top of the newest version anyway.` },
      SYNC_ANYWAY,
    );
    return choice === SYNC_ANYWAY ? syncWithChoices(s, database, { ...options, force: true }) : undefined;
  }
  if (error instanceof LockBlockedError && !options.waitMs) {
    const { holder } = error;
    const waitMs = readSettings().lockWaitMs;
    const choice = await vscode.window.showWarningMessage(
      `b2m: ${database} is locked by ${holder.owner}@${holder.host} (${holder.operation}) until ${timeWithZone(holder.expires)}. Nothing was uploaded.`,
      WAIT_AND_RETRY,
    );
    return choice === WAIT_AND_RETRY ? syncWithChoices(s, database, { ...options, waitMs: Math.max(waitMs, 1000) }) : undefined;
  }
  // An expected kind in another shape (a lock lost while uploading, uncaptured edits found meanwhile).
  if (isB2mError(error) && expect.includes(error.kind)) s.runner.report(`Syncing ${database}`, error);
  return undefined;
}

/** What a sync did; `head` names the resulting head ("v8"). */
function describeOutcome(o: SyncOutcome, head: string): string {
  switch (o.result) {
    case 'up-to-date':
      return `${o.database} is up to date; no migrations to push.`;
    case 'updated':
      return `${o.database} had no migrations to push; your copy is now the head ${head}.`;
    case 'published': {
      const applied = o.applied.length ? ` with ${o.applied.map((m) => m.fileName).join(', ')}` : '';
      const how = o.scenario === 'first-version' ? 'as its first version' : o.scenario === 'rebase' ? 'rebased on a newer remote version' : '';
      return `published ${o.database} ${head}${how ? ` ${how}` : ''}${applied}.`;
    }
  }
}
