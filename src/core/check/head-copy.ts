import { rm } from 'node:fs/promises';
import type { EngineContext } from '../context';
import type { FetchedVersion } from '../delta/fetch-version';
import { snapshotPath } from '../paths';
import { fetchSnapshot, referencedSnapshots } from '../sync/local/snapshots';
import type { HistoryChain } from '../versions/chain';
import type { DatabaseVersion } from '../versions/version-info';

export interface HeadCopy {
  path: string;
  how: 'cached' | FetchedVersion['how'];
  /** Bytes downloaded. */
  bytes: number;
}

/**
 * The head's snapshot in `.b2m/snapshots`: cached, or only the blocks that no cached snapshot of an
 * earlier version holds, or whole. Any cached version of the database serves, not only your base:
 * a CI job that restores `.b2m/snapshots` from its cache has no base.
 */
export async function fetchHeadCopy(ctx: EngineContext, history: HistoryChain, head: DatabaseVersion): Promise<HeadCopy> {
  const fetched = await fetchSnapshot(ctx, head, history.versions);
  return { path: fetched.path, how: fetched.cached ? 'cached' : fetched.how, bytes: fetched.bytes };
}

/**
 * Removes the cached snapshots of this database's older versions that your base and local state do
 * not refer to, so that a cache kept between CI runs holds one version per database, not all of them.
 */
export async function pruneOlderCopies(ctx: EngineContext, history: HistoryChain): Promise<void> {
  const keep = new Set([history.head?.sha1, ...(await referencedSnapshots(ctx))]);
  const older = history.versions.flatMap((v) => (v.sha1 && !keep.has(v.sha1) ? [snapshotPath(ctx.ws, v.sha1)] : []));
  await Promise.all(older.map((path) => rm(path, { force: true })));
}
