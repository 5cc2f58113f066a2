import { access, mkdir, readdir, rm, copyFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EngineContext } from '../../context';
import { sha1File } from '../../hash';
import { IntegrityError } from '../../errors';
import { b2mDir, localDatabasePath, snapshotPath } from '../../paths';
import { cachedFileValue } from '../../state/file-hash-cache';
import type { DatabaseVersion } from '../../versions/version-info';
import { replaceFileDurably } from '../../sqlite/database-files';
import { fetchVersion, type FetchedVersion } from '../../delta/fetch-version';
import { readLocalState } from '../../state/local-state';

/**
 * Read-only copies of database versions, named by SHA-1 under `.b2m/snapshots/`: the base of
 * every database (for diffs and capture) and a cache that spares re-downloading a version.
 */
export async function ensureSnapshot(ctx: EngineContext, version: DatabaseVersion): Promise<string> {
  return (await fetchSnapshot(ctx, version)).path;
}

/**
 * The snapshot of a version, fetched if missing: only the blocks that the local copies of this
 * database's base (and last local state, and of the `cachedVersions` whose snapshots are here)
 * lack, when the version has a manifest; else whole.
 */
export async function fetchSnapshot(
  ctx: EngineContext,
  version: DatabaseVersion,
  cachedVersions: readonly DatabaseVersion[] = [],
): Promise<FetchedVersion & { path: string; cached: boolean }> {
  if (!version.sha1) {
    throw new IntegrityError(`Version ${version.id} of ${version.name} has no SHA-1 on the server, so its download cannot be verified.`, 'Re-upload it with b2m (which always records the SHA-1).');
  }
  const path = snapshotPath(ctx.ws, version.sha1);
  if (await exists(path)) return { path, cached: true, how: 'blocks', bytes: 0, size: version.size };
  await mkdir(dirname(path), { recursive: true });
  const database = version.name.slice(ctx.ws.config.prefix.length);
  const fetched = await fetchVersion(ctx, database, version, path, await localCopiesOf(ctx, database, cachedVersions));
  return { path, cached: false, ...fetched };
}

/**
 * Local copies of earlier versions of a database that a download can take unchanged blocks from:
 * the snapshots of its base and last local state (and of `cachedVersions`, when here), and the
 * local file itself (its blocks are checked against the version's hashes like any other, so edits
 * in it cost only their blocks).
 */
export async function localCopiesOf(ctx: EngineContext, database: string, cachedVersions: readonly DatabaseVersion[] = []): Promise<Array<{ path: string; sha1: string; size: number }>> {
  const state = (await readLocalState(ctx.ws)).databases[database];
  const copies: Array<{ path: string; sha1: string; size: number }> = [];
  for (const sha1 of new Set([...(state ? [state.baseSha1, state.localSha1] : []), ...cachedVersions.flatMap((v) => (v.sha1 ? [v.sha1] : []))])) {
    const path = snapshotPath(ctx.ws, sha1);
    const info = await stat(path).catch(() => undefined);
    if (info) copies.push({ path, sha1, size: info.size });
  }
  const local = localDatabasePath(ctx.ws, database);
  const info = await stat(local).catch(() => undefined);
  if (info?.isFile() && !(await exists(`${local}-wal`))) {
    const sha1 = await cachedFileValue(ctx.ws, local, 'sha1', () => sha1File(local, ctx.signal));
    if (!copies.some((c) => c.sha1 === sha1)) copies.push({ path: local, sha1, size: info.size });
  }
  return copies;
}

/** Deletes the snapshots no database's base or local state refers to any more. */
export async function pruneUnreferencedSnapshots(ctx: EngineContext): Promise<void> {
  await pruneSnapshots(ctx, await referencedSnapshots(ctx));
}

/** The SHA-1s of the snapshots that some database's base or local state refers to. */
export async function referencedSnapshots(ctx: EngineContext): Promise<string[]> {
  return Object.values((await readLocalState(ctx.ws)).databases).flatMap((d) => [d.baseSha1, d.localSha1]);
}

/** Keeps a copy of a local file b2m produced, so later edits can be diffed against it. */
export async function rememberSnapshot(ctx: EngineContext, file: string, sha1?: string): Promise<string> {
  const hash = sha1 ?? (await sha1File(file, ctx.signal));
  const path = snapshotPath(ctx.ws, hash);
  if (await exists(path)) return path;
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await copyFile(file, tmp);
  if ((await sha1File(tmp, ctx.signal)) !== hash) {
    await rm(tmp, { force: true });
    throw new IntegrityError(`${file} changed while b2m was copying it.`, 'Close programs writing to it and try again.');
  }
  await replaceFileDurably(tmp, path);
  return path;
}

/** Deletes cached snapshots that no database's state refers to any more. */
export async function pruneSnapshots(ctx: EngineContext, keep: Iterable<string>): Promise<void> {
  const folder = join(b2mDir(ctx.ws), 'snapshots');
  const wanted = new Set([...keep].map((sha1) => `${sha1}.db`));
  const names = await readdir(folder).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => !wanted.has(n)).map((n) => rm(join(folder, n), { force: true })));
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
