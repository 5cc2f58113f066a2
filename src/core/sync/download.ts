import type { FetchedVersion } from '../delta/fetch-version';
import type { EngineContext } from '../context';
import { BadInputError, ConflictError } from '../errors';
import { remoteDatabaseName, snapshotPath } from '../paths';
import { readLocalState, recordBase } from '../state/local-state';
import { cancelLeftoverUploads } from '../delta/unfinished-uploads';
import { readChain, type HistoryChain, type NumberedVersion } from '../versions/chain';
import { listDatabaseVersions } from '../versions/history';
import { parseVersionLabel } from '../versions/numbering';
import { inspectLocalDatabase, installLocalDatabase, rememberWritten } from './local/local-database';
import { exists, fetchSnapshot, localCopiesOf, pruneUnreferencedSnapshots } from './local/snapshots';

export interface DownloadOutcome {
  version: NumberedVersion;
  /** False when the local file already was that version. */
  replaced: boolean;
  backup?: string;
  /** What crossed the link: only changed blocks when a local copy of an earlier version was at hand. */
  transfer: { downloadedBytes: number; size: number; how: FetchedVersion['how'] | 'cached' };
}

/**
 * Phase 1: makes the local database the remote head (or a chosen version), fetching only the
 * blocks it lacks. Refuses to replace uncaptured local edits unless `force`, and even then keeps
 * a backup.
 */
export async function downloadDatabase(
  ctx: EngineContext,
  database: string,
  options: { force?: boolean; versionId?: string } = {},
): Promise<DownloadOutcome> {
  const remoteName = remoteDatabaseName(ctx.ws, database);
  ctx.onProgress?.({ step: 'head', message: `Reading the remote versions of ${database}` });
  await cancelLeftoverUploads(ctx);
  const version = options.versionId ? await findVersion(ctx, remoteName, options.versionId) : (await readHistory(ctx, remoteName)).head;
  if (!version) {
    throw new BadInputError(`${database} has no remote version yet.`, `Publish your local copy as the first version with "b2m sync ${database}".`);
  }
  const state = (await readLocalState(ctx.ws)).databases[database];
  const local = await inspectLocalDatabase(ctx, database, state);
  if (local.exists && local.uncaptured && !options.force) {
    throw new ConflictError(
      'uncaptured',
      `${database} has local edits that no migration explains${local.pendingWal ? ' (its write-ahead log holds changes)' : ''}.`,
      `Capture them first with "b2m capture ${database} <phrase>", or pass --force to replace the file (a backup is kept in .b2m/backups).`,
    );
  }
  const sha1 = version.sha1!;
  if (!local.exists && (await localCopiesOf(ctx, database)).length === 0 && !(await exists(snapshotPath(ctx.ws, sha1)))) {
    // A first download: straight into place, like any file download. Its snapshot is made when a
    // command needs the pristine version (from this file's unchanged blocks then).
    const result = await (await ctx.store()).downloadToFile(version, local.path, {
      expectedSha1: sha1,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onProgress: (done, total) => ctx.onProgress?.({ step: 'download', message: `Downloading ${database}`, done, total }),
    });
    await rememberWritten(ctx, local.path, sha1);
    await recordBase(ctx.ws, database, version.id, sha1);
    return { version, replaced: true, transfer: { downloadedBytes: result.size, size: result.size, how: 'whole' } };
  }
  const fetched = await fetchSnapshot(ctx, version);
  const transfer = { downloadedBytes: fetched.bytes, size: fetched.size, how: fetched.cached ? ('cached' as const) : fetched.how };
  if (local.exists && local.sha1 === sha1 && !local.pendingWal) {
    await recordBase(ctx.ws, database, version.id, sha1);
    return { version, replaced: false, transfer };
  }
  const keepBackup = local.exists && (local.uncaptured || local.sha1 !== state?.baseSha1);
  const { backup } = await installLocalDatabase(ctx, database, fetched.path, { keepBackup, sha1 });
  await recordBase(ctx.ws, database, version.id, sha1);
  await pruneUnreferencedSnapshots(ctx);
  return { version, replaced: true, transfer, ...(backup ? { backup } : {}) };
}

/** A version by number ("v7") or by (a unique part of) its id, numbered. */
export async function findVersion(ctx: EngineContext, remoteName: string, versionId: string): Promise<NumberedVersion> {
  const { versions } = await readHistory(ctx, remoteName);
  const number = parseVersionLabel(versionId);
  if (number !== undefined) {
    const found = versions.find((v) => v.number === number);
    if (found) return found;
    throw new BadInputError(`${remoteName} has ${versions.length} versions; there is no ${versionId}.`, `List them with "b2m history".`);
  }
  const matches = versions.filter((v) => v.id === versionId || v.id.endsWith(versionId) || v.id.startsWith(versionId));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new BadInputError(`No version "${versionId}" of ${remoteName}.`, `List them with "b2m history".`);
  throw new BadInputError(`"${versionId}" matches ${matches.length} versions of ${remoteName}.`, 'Give more characters of the version id.');
}

async function readHistory(ctx: EngineContext, remoteName: string): Promise<HistoryChain> {
  return readChain(await listDatabaseVersions(await ctx.store(), remoteName, ctx.signal ? { signal: ctx.signal } : {}));
}
