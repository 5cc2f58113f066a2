import type { EngineContext } from '../context';
import { BadInputError, ConflictError } from '../errors';
import { remoteDatabaseName } from '../paths';
import { readLocalState, recordBase } from '../state/local-state';
import { listDatabaseVersions, readHead } from '../versions/history';
import { parseVersionLabel, versionWithNumber } from '../versions/numbering';
import type { DatabaseVersion } from '../versions/version-info';
import { inspectLocalDatabase, installLocalDatabase } from './local-database';
import { ensureSnapshot } from './snapshots';

export interface DownloadOutcome {
  version: DatabaseVersion;
  /** False when the local file already was that version. */
  replaced: boolean;
  backup?: string;
}

/**
 * Phase 1: makes the local database the remote head (or a chosen version). Refuses to replace
 * uncaptured local edits unless `force`, and even then keeps a backup.
 */
export async function downloadDatabase(
  ctx: EngineContext,
  database: string,
  options: { force?: boolean; versionId?: string } = {},
): Promise<DownloadOutcome> {
  const store = await ctx.store();
  const remoteName = remoteDatabaseName(ctx.ws, database);
  ctx.onProgress?.({ step: 'head', message: `Reading the remote versions of ${database}` });
  const version = options.versionId ? await findVersion(ctx, remoteName, options.versionId) : await readHead(store, remoteName, ctx.signal);
  if (!version) {
    throw new BadInputError(`${database} has no remote version yet.`, `Publish your local copy as the first version with "b2m sync ${database}".`);
  }
  const state = (await readLocalState(ctx.ws)).databases[database];
  const local = await inspectLocalDatabase(ctx, database, state);
  if (local.exists && local.uncaptured && !options.force) {
    throw new ConflictError(
      `${database} has local edits that no migration explains${local.pendingWal ? ' (its write-ahead log holds changes)' : ''}.`,
      `Capture them first with "b2m capture ${database} <phrase>", or pass --force to replace the file (a backup is kept in .b2m/backups).`,
    );
  }
  const snapshot = await ensureSnapshot(ctx, version);
  const sha1 = version.sha1!;
  if (local.exists && local.sha1 === sha1 && !local.pendingWal) {
    await recordBase(ctx.ws, database, version.id, sha1);
    return { version, replaced: false };
  }
  const keepBackup = local.exists && (local.uncaptured || local.sha1 !== state?.baseSha1);
  const { backup } = await installLocalDatabase(ctx, database, snapshot, { keepBackup });
  await recordBase(ctx.ws, database, version.id, sha1);
  return { version, replaced: true, ...(backup ? { backup } : {}) };
}

export async function findVersion(ctx: EngineContext, remoteName: string, versionId: string): Promise<DatabaseVersion> {
  const versions = await listDatabaseVersions(await ctx.store(), remoteName, ctx.signal ? { signal: ctx.signal } : {});
  const number = parseVersionLabel(versionId);
  if (number !== undefined) {
    const found = versionWithNumber(versions, number);
    if (found) return found;
    throw new BadInputError(`${remoteName} has ${versions.length} versions; there is no ${versionId}.`, `List them with "b2m history".`);
  }
  const matches = versions.filter((v) => v.id === versionId || v.id.endsWith(versionId) || v.id.startsWith(versionId));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new BadInputError(`No version "${versionId}" of ${remoteName}.`, `List them with "b2m history".`);
  throw new BadInputError(`"${versionId}" matches ${matches.length} versions of ${remoteName}.`, 'Give more characters of the version id.');
}
