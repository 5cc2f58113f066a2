import { constants } from 'node:fs';
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EngineContext } from '../context';
import { scanBlocks } from '../delta/block-scan';
import { BLOCK_SIZE, type ManifestMigration } from '../delta/manifest';
import { blockHashesOf } from '../delta/manifests';
import { cancelLeftoverUploads } from '../delta/unfinished-uploads';
import { B2mError, BadInputError, ConflictError, LockBlockedError } from '../errors';
import { readLockStatus, type Lease } from '../lock';
import { discoverMigrations, type Migration } from '../migrations/discover';
import { scriptsOf } from '../migrations/database-scripts';
import { computePending, type RecordedMigration } from '../migrations/pending';
import { testMigrations } from '../migrations/apply';
import { notifyWebhook } from '../notify/webhook';
import { remoteDatabaseName, snapshotPath } from '../paths';
import { readAppliedMigrations } from '../sqlite/migrations-table';
import { replaceFileDurably } from '../sqlite/database-files';
import { consistentSnapshot } from '../sqlite/snapshot';
import { readLocalState, recordBase, type DatabaseState } from '../state/local-state';
import { TOOL_VERSION } from '../tool-version';
import { forkOf, readChain, type Fork, type HistoryChain, type NumberedVersion } from '../versions/chain';
import { listDatabaseVersions } from '../versions/history';
import { recordedMigrations } from '../versions/recorded-migrations';
import { versionLabel } from '../versions/numbering';
import type { DatabaseVersion } from '../versions/version-info';
import { assertReplaceable, inspectLocalDatabase, installLocalDatabase, isQuiescent, onDiskIdentity, type LocalDatabase } from './local/local-database';
import { compareRebase, MergeConflictError, type RebaseComparison } from './conflicts';
import { checkDestructiveChanges, type ConfirmDestructive } from './destructive-changes';
import type { LintWarning } from '../lint';
import { publishVersion, type PublishTransfer } from './publish';
import { fetchSnapshot, pruneUnreferencedSnapshots } from './local/snapshots';
import { breakOrphan, isOrphanOfThisMachine } from './take-lock';
import { decidedAfterVerification, nearTheEnd, timedVerification } from './verify-timing';
import { workFileName, workFolder } from './local/work-files';
import { migrationRunOptions, verifyAsPublished } from './local/workspace-runs';

export interface SyncOptions {
  /** Publish even when the remote changes overlap yours (scenario 2). */
  force?: boolean;
  /** How long to keep retrying while someone else holds the lock (scenario 3). */
  waitMs?: number;
  /** How many times to rebuild on a newer head before giving up. */
  maxRounds?: number;
  /** A lock this process already holds (taken by hand): the upload happens under it, and it stays held. */
  lease?: Lease;
  /** Decides whether to publish migrations that destroy data (tables or columns dropped, rows deleted...); without it, such a sync stops. */
  confirmDestructive?: ConfirmDestructive;
}

export type SyncScenario = 'first-version' | 'safe' | 'rebase';

/** What a sync moved over the link. */
export interface SyncTransfer {
  /** Bytes downloaded (changed blocks or whole versions, manifests not counted). */
  downloadedBytes: number;
  /** Bytes uploaded (changed parts or the whole file, and the manifest). */
  uploadedBytes: number;
  /** Size of the published version. */
  size: number;
  /** How the version was uploaded: changed parts only, or whole. */
  how?: PublishTransfer['how'];
  /** How long the lock was held, in ms. */
  lockHeldMs: number;
}

export interface SyncOutcome {
  database: string;
  /** published: a new head; updated: only brought the local copy up to the head; up-to-date: nothing to do. */
  result: 'published' | 'updated' | 'up-to-date';
  scenario: SyncScenario;
  head: NumberedVersion;
  applied: Migration[];
  /** Times the candidate was rebuilt because someone else published first. */
  rebuilds: number;
  /** Conflicts with the remote changes that --force overrode. */
  conflicts?: RebaseComparison;
  /** Recorded scripts whose content changed since: reported, never re-run. */
  changedScripts: string[];
  /** Your base version was overtaken by someone else's (a fork): its migrations were replayed on the head. */
  baseOvertaken?: Fork;
  /** Versions others published on the same parent as yours meanwhile: yours overtook them, their authors' next sync replays them. */
  overtook: NumberedVersion[];
  /** Published, but the local file could not be replaced: why (a download puts the new version in place). */
  installProblem?: string;
  backup?: string;
  transfer: SyncTransfer;
  /** Destructive changes that were confirmed and published. */
  destructive: LintWarning[];
  /** Milliseconds spent per phase. */
  phases: Record<string, number>;
}

/**
 * Phase 2, lock last: build the candidate on the newest head without the lock (fetch what changed,
 * apply pending migrations, verify, check overlap), upload what changed as parts of an unfinished
 * file, and hold the lock only to confirm the head and finish. If the head moved, or another upload
 * overtook ours (a fork), rebuild on the new head. Local files change only after a confirmed publish.
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
  const transfer: SyncTransfer = { downloadedBytes: 0, uploadedBytes: 0, size: 0, lockHeldMs: 0 };

  await cancelLeftoverUploads(ctx);
  const state = (await readLocalState(ws)).databases[database];
  const local = await timed('inspect', () => inspectLocalDatabase(ctx, database, state));
  if (local.exists && local.uncaptured && state) {
    throw new ConflictError(
      'uncaptured',
      `${database} has local edits that no migration explains, so syncing could lose them.`,
      `Capture them with "b2m capture ${database} <phrase>" (or download with --force to drop them; a backup is kept).`,
    );
  }
  if (!options.lease && options.waitMs === undefined) await refuseIfLockedByOthers(ctx, database);
  const migrations = await discoverMigrations(scriptsOf(ws, database));
  const candidate = join(await workFolder(ws), workFileName(database, 'candidate'));
  const maxRounds = options.maxRounds ?? 5;
  let rebuilds = 0;
  let published = false;
  // Verification, lint and conflict check run beside the publish; once the sync ends (a failure
  // included) they stop, and no question is asked after the outcome was told.
  const beside = new AbortController();
  const besideCtx: EngineContext = { ...ctx, signal: ctx.signal ? AbortSignal.any([ctx.signal, beside.signal]) : beside.signal };
  try {
    for (let round = 1; round <= maxRounds; round++) {
      ctx.onProgress?.({ step: 'head', message: `Reading the history of ${database}` });
      const history = await timed('read head', async () => readChain(await listDatabaseVersions(store, remoteName, ctx.signal ? { signal: ctx.signal } : {})));
      const head = history.head;
      const scenario = scenarioOf(head, state, local, database);
      const baseOvertaken = state ? forkOf(history, state.baseVersionId) : undefined;
      if (baseOvertaken && round === 1) ctx.onWarning?.(describeOvertaken(baseOvertaken, database));

      const headFile = head ? await timed('download', () => fetchInto(ctx, head, transfer)) : undefined;
      const recorded = head && headFile ? await recordedMigrations(ctx, database, head, headFile) : await readAppliedMigrations(local.path, { python: ws.config.python });
      const { pending, changed } = computePending(migrations, recorded);
      for (const c of changed) ctx.onWarning?.(`${c.migration.fileName} changed after it was applied; it is not run again. Put further changes in a new migration.`);
      const changedScripts = changed.map((c) => c.migration.fileName);

      if (head && headFile && pending.length === 0) {
        const backup = await timed('install', () => bringLocalToHead(ctx, database, head, headFile, local, state));
        return { database, result: backup === false ? 'up-to-date' : 'updated', scenario, head, applied: [], rebuilds, changedScripts, overtook: [], transfer, phases, destructive: [], ...(baseOvertaken ? { baseOvertaken } : {}), ...(backup ? { backup } : {}) };
      }
      await rm(candidate, { force: true });
      const signal = ctx.signal ? { signal: ctx.signal } : {};
      if (headFile) {
        await timed('migrate', () =>
          withSyncHint(testMigrations(headFile, pending, { ...migrationRunOptions(ctx), outputPath: candidate, quiescentSource: true })),
        );
      } else {
        // The first version: the local file itself, with its pending migrations applied.
        await timed('migrate', async () => {
          // Nobody has the file open and no log holds changes: its bytes as they are, so the local file need not be replaced.
          if (pending.length === 0 && (await isQuiescent(local.path))) return copyFile(local.path, candidate, constants.COPYFILE_FICLONE);
          if (pending.length === 0) return consistentSnapshot(local.path, candidate, { python: ws.config.python, ...signal });
          await withSyncHint(testMigrations(local.path, pending, { ...migrationRunOptions(ctx), outputPath: candidate }));
        });
      }
      ctx.onProgress?.({ step: 'verify', message: `Verifying the new ${database}` });
      // Verification runs while the changed parts upload; the publish waits for it before taking the lock.
      const verification = await timedVerification(ws, await fileSize(candidate), () => timed('verify', () => withSyncHint(verifyAsPublished(besideCtx, candidate))));
      const verified = verification.done;
      verified.catch(() => undefined);
      // The rebase's conflict check runs meanwhile too; the publish waits for it before finishing.
      const conflicts =
        scenario === 'rebase' && headFile && state
          ? timed('overlap', () => checkConflicts(besideCtx, database, history, baseVersionOf(ctx, database, state), headFile, candidate, migrations, options.force === true))
          : undefined;
      conflicts?.catch(() => undefined);
      const destructive = headFile ? timed('lint', () => checkDestructiveChanges(besideCtx, database, headFile, candidate, options.confirmDestructive)) : Promise.resolve([]);
      // Awaited by the publish before it takes the lock; a failure must not go unhandled until then.
      // Verification speaks first: a damaged candidate is an integrity failure, whatever the lint made of it.
      const publishable = verified.then(() => destructive);
      publishable.catch(() => undefined);
      // The lock's settle wait may overlap the end of verification, not a long rest of it, and never a question to the user
      // nor a rebase's conflict check; after a "no" to destructive changes, or a conflict, the lock is not taken at all.
      const decided = decidedAfterVerification(verified, destructive.then(() => conflicts));
      const lockWhen = Promise.all([nearTheEnd(verified, verification.expectedEnd, ws.config.lock.settleSeconds * 1000), decided]);
      lockWhen.catch(() => undefined);
      const scan = await timed('compare', async () =>
        scanBlocks(candidate, BLOCK_SIZE, {
          ...signal,
          ...(head && headFile ? { reference: { path: headFile, blockHashes: await blockHashesOf(ctx, headFile, head.sha1 as string) } } : {}),
        }),
      );

      ctx.onProgress?.({ step: 'publish', message: `Publishing ${database}` });
      const newest = pending.at(-1)?.id;
      const result = await timed('publish', () =>
        publishVersion(ctx, {
          database,
          candidate,
          scan,
          ...(head ? { builtOn: head } : {}),
          metadata: { author: ctx.identity.user, tool: TOOL_VERSION, ...(newest ? { migration: newest } : {}) },
          migrations: [...recorded, ...pending.map((m) => ({ id: m.id, name: m.phrase, checksum: m.checksum }))].map(toManifestMigration),
          operation: 'sync',
          ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
          ...(options.lease ? { lease: options.lease } : {}),
          verified: publishable,
          lockWhen,
          ...(conflicts ? { mergeable: conflicts } : {}),
          beforeFinish: () => assertInstallable(ctx, database, local),
        }),
      );
      transfer.uploadedBytes += result.transfer.uploadedBytes;
      transfer.lockHeldMs += result.transfer.lockHeldMs;
      const forced = await conflicts;
      if (result.kind !== 'published') {
        rebuilds++;
        ctx.onWarning?.(
          result.kind === 'head-moved'
            ? `Someone published ${database} while your migrations ran; rebuilding on their version (round ${round + 1}).`
            : `Your upload of ${database} was overtaken by another one; it stays in history, and b2m rebuilds on the new head (round ${round + 1}).`,
        );
        continue;
      }
      published = true;
      transfer.size = result.transfer.size;
      transfer.how = result.transfer.how;
      const version = numbered(result.version, history);
      const overtook = result.overtook.map((v) => numbered(v, history));
      for (const v of overtook) ctx.onWarning?.(`${v.author ?? 'someone'}'s ${label(v)} of ${database} was published at the same time on the same parent; yours overtook it, and their next sync replays their migrations.`);
      const installed = await timed('install', () => installPublished(ctx, database, candidate, scan.sha1, version, local, state));
      await notifyWebhook(
        ws.config.webhookUrl,
        `b2m: ${ctx.identity.user} published ${database} ${label(version)} (${pending.length} migration${pending.length === 1 ? '' : 's'}: ${pending.map((m) => m.fileName).join(', ') || 'first version'}).`,
        ctx.onWarning ? { onWarning: ctx.onWarning } : {},
      );
      return {
        database,
        result: 'published',
        scenario,
        head: version,
        applied: pending,
        rebuilds,
        changedScripts,
        overtook,
        transfer,
        phases,
        destructive: await destructive,
        ...(baseOvertaken ? { baseOvertaken } : {}),
        ...(forced && forced.report.conflicts.length > 0 ? { conflicts: forced } : {}),
        ...(installed.backup ? { backup: installed.backup } : {}),
        ...(installed.problem ? { installProblem: installed.problem } : {}),
      };
    }
    throw new ConflictError(
      'gave-up',
      `Gave up on ${database} after ${maxRounds} rounds: others kept publishing while your migrations were being applied.`,
      'Run "b2m sync" again; nothing was lost.',
    );
  } catch (e) {
    if (!published && !(e instanceof B2mError && e.kind === 'cancelled')) {
      await notifyWebhook(ws.config.webhookUrl, `b2m: ${ctx.identity.user}'s sync of ${database} failed: ${(e as Error).message}`, ctx.onWarning ? { onWarning: ctx.onWarning } : {});
    }
    throw e;
  } finally {
    beside.abort();
    await rm(candidate, { force: true });
  }
}

/**
 * Scenario 3 is told before any work: a listing of the lock folder, not an attempt at the lock.
 * A lock left by a process of yours that provably died here is broken at once: a sync with nothing
 * to publish never takes the lock, and must not leave it behind either.
 */
async function refuseIfLockedByOthers(ctx: EngineContext, database: string): Promise<void> {
  const lock = await readLockStatus(await ctx.store(), database, {
    prefix: ctx.ws.config.prefix,
    session: ctx.identity.session,
    leaseMs: ctx.ws.config.lock.leaseSeconds * 1000,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (lock.state !== 'held' || !lock.holder || lock.holder.isMine) return;
  if (!isOrphanOfThisMachine(ctx, lock.holder)) throw new LockBlockedError(lock.holder);
  await breakOrphan(ctx, database, lock.holder);
}

function scenarioOf(head: DatabaseVersion | undefined, state: DatabaseState | undefined, local: LocalDatabase, database: string): SyncScenario {
  if (!head) {
    if (state) {
      throw new ConflictError(
        'remote-missing',
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
        'not-downloaded',
        `${database} exists locally, but b2m never downloaded it, and the bucket already has versions of it.`,
        `Run "b2m download ${database} --force" to take the remote version (your file is backed up first), then turn your changes into a migration.`,
      );
    }
    return 'safe';
  }
  return head.id === state.baseVersionId ? 'safe' : 'rebase';
}

/** The head's snapshot: cached, or only its changed blocks fetched (counted in `transfer`). */
async function fetchInto(ctx: EngineContext, version: DatabaseVersion, transfer: SyncTransfer): Promise<string> {
  const fetched = await fetchSnapshot(ctx, version);
  transfer.downloadedBytes += fetched.bytes;
  return fetched.path;
}

function toManifestMigration(m: RecordedMigration): ManifestMigration {
  return { id: m.id, name: m.name, checksum: m.checksum };
}

/**
 * Everything installing the result needs, checked before the version is published: the local file
 * must be replaceable (not open in another program) and still be what this sync started from.
 */
async function assertInstallable(ctx: EngineContext, database: string, started: LocalDatabase): Promise<void> {
  await assertReplaceable(ctx, database);
  if (!started.exists) return;
  // Its identity on disk, not its content: this runs under the lock, and reading a large file there would hold it.
  if ((await onDiskIdentity(started.path)) !== started.identity) {
    throw new ConflictError(
      'changed-during-sync',
      `${database} changed on disk while it was being synced; nothing was published.`,
      `Capture the new edits with "b2m capture ${database} <phrase>", then sync again.`,
    );
  }
}

/**
 * Makes the published candidate the local file. The candidate becomes the snapshot of the new
 * version first, so if replacing the local file still fails, the version stays published and
 * "b2m download" installs it without downloading anything.
 */
async function installPublished(
  ctx: EngineContext,
  database: string,
  candidate: string,
  sha1: string,
  version: DatabaseVersion,
  local: LocalDatabase,
  state: DatabaseState | undefined,
): Promise<{ backup?: string; problem?: string }> {
  const snapshot = snapshotPath(ctx.ws, sha1);
  try {
    await mkdir(dirname(snapshot), { recursive: true });
    await replaceFileDurably(candidate, snapshot); // a snapshot is trusted by its name: flushed before it gets it
    const keepBackup = local.exists && local.sha1 !== state?.baseSha1;
    // A first version published as the local file was needs no new local file.
    const result = local.exists && local.sha1 === sha1 ? {} : await installLocalDatabase(ctx, database, snapshot, { keepBackup, sha1 });
    await recordBase(ctx.ws, database, version.id, sha1);
    await pruneUnreferencedSnapshots(ctx);
    return result;
  } catch (e) {
    // Reported in the outcome, where each front end says how to install the published version.
    return { problem: (e as Error).message };
  }
}

/** With nothing to publish, sync just brings the local copy to the head. Returns false when already there. */
async function bringLocalToHead(
  ctx: EngineContext,
  database: string,
  head: DatabaseVersion,
  headFile: string,
  local: LocalDatabase,
  state: DatabaseState | undefined,
): Promise<string | undefined | false> {
  if (local.exists && local.sha1 === head.sha1 && state?.baseVersionId === head.id) return false;
  const { backup } = await installLocalDatabase(ctx, database, headFile, { keepBackup: local.exists && local.sha1 !== state?.baseSha1, sha1: head.sha1! });
  await recordBase(ctx.ws, database, head.id, head.sha1!);
  return backup;
}

/** Scenario 2: stop on cells changed both remotely and by your migrations, unless forced. */
async function checkConflicts(
  ctx: EngineContext,
  database: string,
  history: HistoryChain,
  base: DatabaseVersion,
  headFile: string,
  candidate: string,
  migrations: readonly Migration[],
  force: boolean,
): Promise<RebaseComparison> {
  const comparison = await compareRebase(ctx, database, history, base, headFile, candidate, migrations);
  const n = comparison.report.conflicts.length;
  if (n > 0 && !force) throw new MergeConflictError(comparison);
  if (n > 0) ctx.onWarning?.(`Publishing despite ${n} conflict${n === 1 ? '' : 's'} with the remote changes (--force): your migrations are applied on top of theirs.`);
  return comparison;
}

function describeOvertaken(fork: Fork, database: string): string {
  const by = fork.overtakenBy ? ` by ${fork.overtakenBy.author ?? 'someone'}'s ${label(fork.overtakenBy)}` : '';
  return `Your base ${label(fork.overtaken)} of ${database} was overtaken${by} (both were built on ${fork.forkPoint ? label(fork.forkPoint) : 'the same version'}); the migrations it carried that the head lacks are pending again and are replayed now.`;
}

function numbered(version: DatabaseVersion, history: HistoryChain): NumberedVersion {
  return history.versions.find((v) => v.id === version.id) ?? { ...version, number: history.versions.length + 1 };
}

function label(v: { number: number }): string {
  return versionLabel(v.number);
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
      throw new B2mError(e.kind, e.summary, 'Nothing was changed: not your local database, not the remote, and no lock is held. Fix the script and run "b2m sync" again.', {
        cause: e,
        ...(e.details !== undefined ? { details: e.details } : {}),
      });
    }
    throw e;
  }
}

async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
