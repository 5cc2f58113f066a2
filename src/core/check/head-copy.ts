import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EngineContext } from '../context';
import { fetchVersion, type FetchedVersion } from '../delta/fetch-version';
import { IntegrityError } from '../errors';
import { snapshotPath } from '../paths';
import { readLocalState } from '../state/local-state';
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
export async function fetchHeadCopy(ctx: EngineContext, database: string, history: HistoryChain, head: DatabaseVersion): Promise<HeadCopy> {
  if (!head.sha1) {
    throw new IntegrityError(`The head of ${database} (${head.id}) has no SHA-1 on the server, so its download cannot be verified.`, 'Publish it again with "b2m sync" or "b2m restore" (b2m always records the SHA-1).');
  }
  const path = snapshotPath(ctx.ws, head.sha1);
  if ((await sizeOf(path)) !== undefined) return { path, how: 'cached', bytes: 0 };
  await mkdir(dirname(path), { recursive: true });
  const fetched = await fetchVersion(ctx, database, head, path, await cachedCopies(ctx, database, history));
  return { path, how: fetched.how, bytes: fetched.bytes };
}

/**
 * Removes the cached snapshots of this database's older versions that your base and local state do
 * not refer to, so that a cache kept between CI runs holds one version per database, not all of them.
 */
export async function pruneOlderCopies(ctx: EngineContext, history: HistoryChain): Promise<void> {
  const keep = new Set([history.head?.sha1, ...(await stateSnapshots(ctx))]);
  const older = history.versions.flatMap((v) => (v.sha1 && !keep.has(v.sha1) ? [snapshotPath(ctx.ws, v.sha1)] : []));
  await Promise.all(older.map((path) => rm(path, { force: true })));
}

async function cachedCopies(ctx: EngineContext, database: string, history: HistoryChain): Promise<Array<{ path: string; sha1: string; size: number }>> {
  const state = (await readLocalState(ctx.ws)).databases[database];
  const sha1s = new Set([...history.versions.map((v) => v.sha1), state?.baseSha1, state?.localSha1]);
  const copies: Array<{ path: string; sha1: string; size: number }> = [];
  for (const sha1 of sha1s) {
    if (!sha1) continue;
    const path = snapshotPath(ctx.ws, sha1);
    const size = await sizeOf(path);
    if (size !== undefined) copies.push({ path, sha1, size });
  }
  return copies;
}

async function stateSnapshots(ctx: EngineContext): Promise<string[]> {
  return Object.values((await readLocalState(ctx.ws)).databases).flatMap((d) => [d.baseSha1, d.localSha1]);
}

async function sizeOf(path: string): Promise<number | undefined> {
  return (await stat(path).catch(() => undefined))?.size;
}
