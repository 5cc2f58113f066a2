import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { databaseKey } from '../config';
import type { EngineContext } from '../context';
import { diffDatabases } from '../diff';
import { B2mError, BadInputError, ConflictError } from '../errors';
import type { Lease } from '../lock';
import { sha1File } from '../hash';
import { discoverMigrations } from '../migrations/discover';
import type { Migration } from '../migrations/discover';
import { computePending } from '../migrations/pending';
import { testMigrations } from '../migrations/apply';
import { notifyWebhook } from '../notify/webhook';
import { remoteDatabaseName, scriptsDir, snapshotPath } from '../paths';
import { readAppliedMigrations } from '../sqlite/migrations-table';
import { consistentSnapshot } from '../sqlite/snapshot';
import { verifyDatabase } from '../sqlite/verify';
import { readLocalState, recordBase, type DatabaseState } from '../state/local-state';
import { TOOL_VERSION } from '../tool-version';
import { readHead } from '../versions/history';
import type { DatabaseVersion } from '../versions/version-info';
import { inspectLocalDatabase, installLocalDatabase, type LocalDatabase } from './local-database';
import { findOverlap, formatOverlap, hasOverlap, type OverlapReport } from './overlap';
import { publishUnderLock } from './publish';
import { ensureSnapshot, pruneSnapshots, rememberSnapshot } from './snapshots';
import { workFileName, workFolder } from './work-files';

export interface SyncOptions {
  /** Publish even when the remote changes overlap yours (scenario 2). */
  force?: boolean;
  /** How long to keep retrying while someone else holds the lock (scenario 3). */
  waitMs?: number;
  /** How many times to rebuild on a newer head before giving up. */
  maxRounds?: number;
  /** A lock this process already holds on the database (taken by hand): the upload happens under it, and it stays held. */
  lease?: Lease;
}

export type SyncScenario = 'first-version' | 'safe' | 'rebase';

export interface SyncOutcome {
  database: string;
  /** published: a new head; updated: only brought the local copy up to the head; up-to-date: nothing to do. */
  result: 'published' | 'updated' | 'up-to-date';
  scenario: SyncScenario;
  head: DatabaseVersion;
  applied: Migration[];
  /** Times the candidate was rebuilt because someone else published first. */
  rebuilds: number;
  /** Overlap that --force overrode. */
  overlap?: OverlapReport;
  /** Recorded scripts whose content changed since: reported, never re-run. */
  changedScripts: string[];
  backup?: string;
  /** Milliseconds spent per phase. */
  phases: Record<string, number>;
}

/**
 * Phase 2, lock last: build the candidate on the newest head without the lock (download, apply
 * pending migrations, verify, check overlap), then hold the lock only around the upload. If the
 * head moved meanwhile, rebuild on the new head. Local files change only after a confirmed upload.
 */
export async function syncDatabase(ctx: EngineContext, database: string, options: SyncOptions = {}): Promise<SyncOutcome> {
  const store = await ctx.store();
  const { ws } = ctx;
  const remoteName = remoteDatabaseName(ws, database);
  const phases: Record<string, number> = {};
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      phases[phase] = (phases[phase] ?? 0) + performance.now() - start;
    }
  };

  const state = (await readLocalState(ws)).databases[database];
  const local = await timed('inspect', () => inspectLocalDatabase(ctx, database, state));
  if (local.exists && local.uncaptured && state) {
    throw new ConflictError(
      `${database} has local edits that no migration explains, so syncing could lose them.`,
      `Capture them with "b2m capture ${database} <phrase>" (or download with --force to drop them; a backup is kept).`,
    );
  }
  const migrations = await discoverMigrations({ scriptsDir: scriptsDir(ws), db: databaseKey(database), isDefault: ws.config.databases[0] === database });
  const candidate = join(await workFolder(ws), workFileName(database, 'candidate'));
  const maxRounds = options.maxRounds ?? 5;
  let rebuilds = 0;
  try {
    for (let round = 1; round <= maxRounds; round++) {
      ctx.onProgress?.({ step: 'head', message: `Reading the head of ${database}` });
      const head = await timed('read head', () => readHead(store, remoteName, ctx.signal));
      const scenario = scenarioOf(head, state, local, database);

      const start = head ? await timed('download', () => ensureSnapshot(ctx, head)) : local.path;
      const { pending, changed } = computePending(migrations, await readAppliedMigrations(start, { python: ws.config.python }));
      for (const c of changed) ctx.onWarning?.(`${c.migration.fileName} changed after it was applied; it is not run again. Put further changes in a new migration.`);
      const changedScripts = changed.map((c) => c.migration.fileName);

      if (head && pending.length === 0) {
        const backup = await timed('install', () => bringLocalToHead(ctx, database, head, local, state));
        return { database, result: backup === false ? 'up-to-date' : 'updated', scenario, head, applied: [], rebuilds, changedScripts, phases, ...(backup ? { backup } : {}) };
      }
      await rm(candidate, { force: true });
      const signal = ctx.signal ? { signal: ctx.signal } : {};
      if (pending.length > 0) {
        await timed('migrate', () =>
          withSyncHint(testMigrations(start, pending, {
            outputPath: candidate,
            python: ws.config.python,
            timeoutMs: ws.config.migrationTimeoutSeconds * 1000,
            author: ctx.identity.user,
            cwd: ws.root,
            ...signal,
            ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
          })),
        );
      } else {
        await timed('prepare', () => consistentSnapshot(local.path, candidate, { python: ws.config.python, ...signal }));
      }
      ctx.onProgress?.({ step: 'verify', message: `Verifying the new ${database}` });
      await timed('verify', () =>
        withSyncHint(verifyDatabase(candidate, {
          python: ws.config.python,
          timeoutMs: ws.config.migrationTimeoutSeconds * 1000,
          cwd: ws.root,
          ...(ws.config.checkScript ? { checkScript: join(ws.root, ws.config.checkScript) } : {}),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        })),
      );
      const overlap = scenario === 'rebase' && head && state ? await timed('overlap', () => checkOverlap(ctx, state, start, candidate, database, options.force === true)) : undefined;

      ctx.onProgress?.({ step: 'lock', message: `Taking the lock on ${database}` });
      const newest = pending.at(-1)?.id;
      const published = await timed('publish', () =>
        publishUnderLock(ctx, database, candidate, head, { author: ctx.identity.user, tool: TOOL_VERSION, ...(newest ? { migration: newest } : {}) }, {
          operation: 'sync',
          ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
          ...(options.lease ? { lease: options.lease } : {}),
        }),
      );
      if (published.kind !== 'published') {
        rebuilds++;
        ctx.onWarning?.(
          published.kind === 'head-moved'
            ? `Someone published ${database} while your migrations ran; rebuilding on their version (round ${round + 1}).`
            : `Your upload of ${database} was overtaken by another one; it stays in history, and b2m rebuilds on the new head (round ${round + 1}).`,
        );
        continue;
      }
      const installed = await timed('install', async () => {
        const sha1 = await sha1File(candidate, ctx.signal);
        await rememberSnapshot(ctx, candidate, sha1);
        const keepBackup = local.exists && local.sha1 !== state?.baseSha1;
        const result = await installLocalDatabase(ctx, database, snapshotPath(ws, sha1), { keepBackup });
        await recordBase(ws, database, published.version.id, sha1);
        await pruneSnapshots(ctx, await referencedSnapshots(ctx));
        return result;
      });
      await notifyWebhook(
        ws.config.webhookUrl,
        `b2m: ${ctx.identity.user} published ${database} (${pending.length} migration${pending.length === 1 ? '' : 's'}: ${pending.map((m) => m.fileName).join(', ') || 'first version'}).`,
        ctx.onWarning ? { onWarning: ctx.onWarning } : {},
      );
      return {
        database,
        result: 'published',
        scenario,
        head: published.version,
        applied: pending,
        rebuilds,
        changedScripts,
        phases,
        ...(overlap && hasOverlap(overlap) ? { overlap } : {}),
        ...(installed.backup ? { backup: installed.backup } : {}),
      };
    }
    throw new ConflictError(
      `Gave up on ${database} after ${maxRounds} rounds: others kept publishing while your migrations were being applied.`,
      'Run "b2m sync" again; nothing was lost.',
    );
  } catch (e) {
    if (!(e instanceof ConflictError && e.message.startsWith('Gave up'))) {
      await notifyWebhook(ws.config.webhookUrl, `b2m: ${ctx.identity.user}'s sync of ${database} failed: ${(e as Error).message}`, ctx.onWarning ? { onWarning: ctx.onWarning } : {});
    }
    throw e;
  } finally {
    await rm(candidate, { force: true });
  }
}

function scenarioOf(head: DatabaseVersion | undefined, state: DatabaseState | undefined, local: LocalDatabase, database: string): SyncScenario {
  if (!head) {
    if (state) {
      throw new ConflictError(
        `${database} was downloaded from the bucket before, but the bucket has no version of it now.`,
        'Check the bucket and prefix in b2m.json; b2m never deletes versions, so someone removed them.',
      );
    }
    if (!local.exists) throw new BadInputError(`${database} exists neither locally nor in the bucket.`, 'Create the database file first, or check its name in b2m.json.');
    return 'first-version';
  }
  if (!state) {
    if (local.exists) {
      throw new ConflictError(
        `${database} exists locally, but b2m never downloaded it, and the bucket already has versions of it.`,
        `Run "b2m download ${database} --force" to take the remote version (your file is backed up first), then turn your changes into a migration.`,
      );
    }
    return 'safe';
  }
  return head.id === state.baseVersionId ? 'safe' : 'rebase';
}

/** With nothing to publish, sync just brings the local copy to the head. Returns false when already there. */
async function bringLocalToHead(
  ctx: EngineContext,
  database: string,
  head: DatabaseVersion,
  local: LocalDatabase,
  state: DatabaseState | undefined,
): Promise<string | undefined | false> {
  if (local.exists && local.sha1 === head.sha1 && state?.baseVersionId === head.id) return false;
  const snapshot = await ensureSnapshot(ctx, head);
  const { backup } = await installLocalDatabase(ctx, database, snapshot, { keepBackup: local.exists && local.sha1 !== state?.baseSha1 });
  await recordBase(ctx.ws, database, head.id, head.sha1!);
  return backup;
}

/** Scenario 2: stop when the remote changes since your base touch what your migrations change. */
async function checkOverlap(ctx: EngineContext, state: DatabaseState, headFile: string, candidate: string, database: string, force: boolean): Promise<OverlapReport> {
  ctx.onProgress?.({ step: 'overlap', message: `Comparing the remote changes to ${database} with yours` });
  const base = await ensureSnapshot(ctx, baseVersionOf(ctx, database, state));
  const opts = ctx.signal ? { signal: ctx.signal } : {};
  const report = findOverlap(await diffDatabases(base, headFile, opts), await diffDatabases(headFile, candidate, opts));
  if (hasOverlap(report) && !force) {
    throw new ConflictError(
      `The remote ${database} changed since your base in the same places as your migrations:\n${formatOverlap(report)}`,
      'Check that your migrations still do the right thing on the new data, then run "b2m sync --force".',
    );
  }
  if (hasOverlap(report)) ctx.onWarning?.(`Publishing despite overlapping changes (--force):\n${formatOverlap(report)}`);
  return report;
}

async function referencedSnapshots(ctx: EngineContext): Promise<string[]> {
  const state = await readLocalState(ctx.ws);
  return Object.values(state.databases).flatMap((d) => [d.baseSha1, d.localSha1]);
}

/** The base as a version to (re)download, should its snapshot have been removed from .b2m. */
export function baseVersionOf(ctx: EngineContext, database: string, state: DatabaseState): DatabaseVersion {
  return { id: state.baseVersionId, name: remoteDatabaseName(ctx.ws, database), sha1: state.baseSha1, size: 0, uploadTimestamp: 0 };
}

/** Failures while building the candidate touch nothing: say so instead of naming scratch files. */
async function withSyncHint<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof B2mError && (e.kind === 'verification' || e.kind === 'integrity')) {
      throw new B2mError(e.kind, e.message, 'Nothing was changed: not your local database, not the remote, and no lock is held. Fix the script and run "b2m sync" again.', { cause: e });
    }
    throw e;
  }
}
