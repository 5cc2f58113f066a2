import type { EngineContext } from '../context';
import { BadInputError, ConflictError } from '../errors';
import { remoteDatabaseName } from '../paths';
import { readAppliedMigrations } from '../sqlite/migrations-table';
import { readLocalState, recordBase } from '../state/local-state';
import { TOOL_VERSION } from '../tool-version';
import { readHead } from '../versions/history';
import type { DatabaseVersion } from '../versions/version-info';
import { findVersion } from './download';
import { inspectLocalDatabase, installLocalDatabase } from './local-database';
import { publishUnderLock } from './publish';
import { ensureSnapshot } from './snapshots';

export interface RestoreOutcome {
  restored: DatabaseVersion;
  head: DatabaseVersion;
  /** Migrations in the replaced head but not in the restored version: the next sync runs them again unless their scripts go. */
  undoneMigrations: string[];
  localUpdated: boolean;
}

/**
 * Makes an old version the new head through the normal locked upload: history is appended,
 * never rewritten, so the restore itself can be undone the same way.
 */
export async function restoreVersion(ctx: EngineContext, database: string, versionId: string, options: { waitMs?: number } = {}): Promise<RestoreOutcome> {
  const store = await ctx.store();
  const remoteName = remoteDatabaseName(ctx.ws, database);
  const restored = await findVersion(ctx, remoteName, versionId);
  const snapshot = await ensureSnapshot(ctx, restored);
  for (let round = 1; round <= 5; round++) {
    const head = await readHead(store, remoteName, ctx.signal);
    if (!head) throw new BadInputError(`${database} has no head to replace.`);
    if (head.id === restored.id) throw new BadInputError(`${versionId} is already the head of ${database}.`);
    const headApplied = await readAppliedMigrations(await ensureSnapshot(ctx, head), { python: ctx.ws.config.python });
    const restoredApplied = new Set((await readAppliedMigrations(snapshot, { python: ctx.ws.config.python })).map((m) => m.id));
    const published = await publishUnderLock(
      ctx,
      database,
      snapshot,
      head,
      { author: ctx.identity.user, tool: TOOL_VERSION, restoredFrom: restored.id, ...(restored.migration ? { migration: restored.migration } : {}) },
      { operation: 'restore', ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}) },
    );
    if (published.kind !== 'published') {
      ctx.onWarning?.(`The head of ${database} moved during the restore; trying again on the new head.`);
      continue;
    }
    const undoneMigrations = headApplied.filter((m) => !restoredApplied.has(m.id)).map((m) => m.name);
    const state = (await readLocalState(ctx.ws)).databases[database];
    const local = await inspectLocalDatabase(ctx, database, state);
    let localUpdated = false;
    if (!local.exists || !local.uncaptured) {
      await installLocalDatabase(ctx, database, snapshot, { keepBackup: local.exists && local.sha1 !== state?.baseSha1 });
      await recordBase(ctx.ws, database, published.version.id, restored.sha1!);
      localUpdated = true;
    } else {
      ctx.onWarning?.(`Your local ${database} has uncaptured edits, so it was left as it is; download the new head when they are captured.`);
    }
    return { restored, head: published.version, undoneMigrations, localUpdated };
  }
  throw new ConflictError(`Gave up restoring ${database}: the head kept moving.`, 'Run the restore again; nothing was lost.');
}
