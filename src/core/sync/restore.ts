import type { EngineContext } from '../context';
import { scanBlocks } from '../delta/block-scan';
import { BLOCK_SIZE } from '../delta/manifest';
import { blockHashesOf } from '../delta/manifests';
import { BadInputError, ConflictError } from '../errors';
import { remoteDatabaseName } from '../paths';
import { readLocalState, recordBase } from '../state/local-state';
import { TOOL_VERSION } from '../tool-version';
import { forkOf, readChain, type Fork, type NumberedVersion } from '../versions/chain';
import { listDatabaseVersions } from '../versions/history';
import { recordedMigrations } from '../versions/recorded-migrations';
import { findVersion } from './download';
import { inspectLocalDatabase, installLocalDatabase } from './local/local-database';
import { publishVersion } from './publish';
import { ensureSnapshot } from './local/snapshots';

/** What a restore would do, for a person to confirm. */
export interface RestorePlan {
  database: string;
  restored: NumberedVersion;
  head: NumberedVersion;
  /** Migrations in the head but not in the restored version: the next sync runs them again unless their scripts go. */
  undoneMigrations: string[];
  /** The restored version is not on the head's chain: it was overtaken by another version built on the same parent. */
  overtaken?: Fork;
}

export interface RestoreOutcome extends RestorePlan {
  /** The new head: the restored content, uploaded again. */
  published: NumberedVersion;
  localUpdated: boolean;
  /** Where the local file that the restored version replaced is kept, when it was not a remote version. */
  backup?: string;
}

/** Reads what restoring `versionId` would undo, without changing anything. */
export async function planRestore(ctx: EngineContext, database: string, versionId: string): Promise<RestorePlan> {
  const remoteName = remoteDatabaseName(ctx.ws, database);
  const restored = await findVersion(ctx, remoteName, versionId);
  const history = readChain(await listDatabaseVersions(await ctx.store(), remoteName, ctx.signal ? { signal: ctx.signal } : {}));
  const head = history.head;
  if (!head) throw new BadInputError(`${database} has no head to replace.`);
  if (head.id === restored.id) throw new BadInputError(`${versionId} is already the head of ${database}.`, 'Pick an older version (see "b2m history").');
  const restoredIds = new Set((await recordedMigrations(ctx, database, restored)).map((m) => m.id));
  const undoneMigrations = (await recordedMigrations(ctx, database, head)).filter((m) => !restoredIds.has(m.id)).map((m) => `${m.id}_${m.name}`);
  const overtaken = forkOf(history, restored.id);
  return { database, restored, head, undoneMigrations, ...(overtaken ? { overtaken } : {}) };
}

/**
 * Makes an old version the new head through the normal locked publish: history is appended,
 * never rewritten, so the restore itself can be undone the same way. Callers show `planRestore`
 * first: restoring undoes the migrations the head has and the restored version lacks.
 */
export async function restoreVersion(ctx: EngineContext, database: string, versionId: string, options: { waitMs?: number } = {}): Promise<RestoreOutcome> {
  for (let round = 1; round <= 5; round++) {
    const plan = await planRestore(ctx, database, versionId);
    const { restored, head } = plan;
    const snapshot = await ensureSnapshot(ctx, restored);
    const headFile = await ensureSnapshot(ctx, head);
    const scan = await scanBlocks(snapshot, BLOCK_SIZE, { reference: { path: headFile, blockHashes: await blockHashesOf(ctx, headFile, head.sha1 as string) }, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const published = await publishVersion(ctx, {
      database,
      candidate: snapshot,
      scan,
      builtOn: head,
      metadata: { author: ctx.identity.user, tool: TOOL_VERSION, restoredFrom: restored.id, ...(restored.migration ? { migration: restored.migration } : {}) },
      migrations: await recordedMigrations(ctx, database, restored, snapshot),
      operation: 'restore',
      ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
    });
    if (published.kind !== 'published') {
      ctx.onWarning?.(`The head of ${database} moved during the restore; trying again on the new head.`);
      continue;
    }
    const state = (await readLocalState(ctx.ws)).databases[database];
    const local = await inspectLocalDatabase(ctx, database, state);
    let installed: { backup?: string } | undefined;
    if (!local.exists || !local.uncaptured) {
      installed = await installLocalDatabase(ctx, database, snapshot, { keepBackup: local.exists && local.sha1 !== state?.baseSha1, sha1: restored.sha1! });
      await recordBase(ctx.ws, database, published.version.id, restored.sha1!);
    } else {
      ctx.onWarning?.(`Your local ${database} has uncaptured edits, so it was left as it is; download the new head when they are captured.`);
    }
    return { ...plan, published: { ...published.version, number: head.number + 1 + published.overtook.length }, localUpdated: installed !== undefined, ...installed };
  }
  throw new ConflictError('gave-up', `Gave up restoring ${database}: the head kept moving.`, 'Run the restore again; nothing was lost.');
}
