import type { EngineContext } from '../context';
import { BadInputError, ConflictError } from '../errors';
import { remoteDatabaseName } from '../paths';
import { readLocalState, recordBase } from '../state/local-state';
import { TOOL_VERSION } from '../tool-version';
import { readHead } from '../versions/history';
import type { DatabaseVersion } from '../versions/version-info';
import { findVersion } from './download';
import { inspectLocalDatabase, installLocalDatabase } from './local-database';
import { publishVersion } from './publish';
import { ensureSnapshot } from './snapshots';
import { scanBlocks } from '../delta/block-scan';
import { BLOCK_SIZE } from '../delta/manifest';
import { blockHashesOf } from '../delta/manifests';
import { recordedMigrations } from '../versions/recorded-migrations';

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
    const headApplied = await recordedMigrations(ctx, database, head);
    const restoredMigrations = await recordedMigrations(ctx, database, restored);
    const restoredApplied = new Set(restoredMigrations.map((m) => m.id));
    const headFile = await ensureSnapshot(ctx, head);
    const scan = await scanBlocks(snapshot, BLOCK_SIZE, { reference: { path: headFile, blockHashes: await blockHashesOf(ctx, headFile, head.sha1 as string) }, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const published = await publishVersion(ctx, {
      database,
      candidate: snapshot,
      scan,
      builtOn: head,
      metadata: { author: ctx.identity.user, tool: TOOL_VERSION, restoredFrom: restored.id, ...(restored.migration ? { migration: restored.migration } : {}) },
      migrations: restoredMigrations.map((m) => ({ id: m.id, name: m.name, checksum: m.checksum })),
      operation: 'restore',
      ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
    });
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

