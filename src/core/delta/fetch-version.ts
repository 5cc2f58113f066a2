import { randomBytes } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import type { EngineContext } from '../context';
import { sha1File } from '../hash';
import { replaceFileDurably } from '../sqlite/database-files';
import { formatBytes } from '../format';
import type { DatabaseVersion } from '../versions/version-info';
import { assembleVersion, DeltaMismatch } from './assemble';
import { planFetch, type BlockSource } from './fetch-plan';
import { blockHashesOf, loadManifest } from './manifests';

export interface FetchedVersion {
  /** 'blocks': only the blocks missing locally were downloaded; 'whole': the whole file; 'local': a local copy already was that version. */
  how: 'blocks' | 'whole' | 'local';
  /** Bytes that crossed the link. */
  bytes: number;
  size: number;
}

/** Below this, fetching blocks saves too little to be worth a manifest. */
const MIN_DELTA_SIZE = 1024 * 1024;
/** When more than this share of a version is missing locally, the whole file downloads faster. */
const MAX_DELTA_SHARE = 0.8;

/**
 * Downloads `version` to `target`: only the blocks no local copy holds, when the version has a
 * manifest and a local copy of an earlier version is at hand; else the whole file. Either way the
 * result is checked against the version's SHA-1 before it replaces `target`; a damaged manifest or
 * a block that keeps arriving corrupt falls back to the whole download, never to a wrong file.
 */
export async function fetchVersion(
  ctx: EngineContext,
  database: string,
  version: DatabaseVersion,
  target: string,
  localCopies: ReadonlyArray<{ path: string; sha1: string; size: number }>,
): Promise<FetchedVersion> {
  const store = await ctx.store();
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const same = localCopies.find((c) => c.sha1 === version.sha1);
  if (same && (await copyVerified(same.path, target, same.sha1, ctx.signal))) return { how: 'local', bytes: 0, size: same.size };
  let fetched = 0;
  const manifest = localCopies.length > 0 && version.size >= MIN_DELTA_SIZE ? await loadManifest(ctx, database, version) : undefined;
  if (manifest) {
    const sources: BlockSource[] = [];
    for (const copy of localCopies) sources.push({ path: copy.path, size: copy.size, blockHashes: await blockHashesOf(ctx, copy.path, copy.sha1) });
    const plan = planFetch(manifest, sources);
    if (plan.fetchBytes <= MAX_DELTA_SHARE * manifest.size) {
      const message = `Fetching the changed blocks of ${database} (${formatBytes(plan.fetchBytes)} of ${formatBytes(manifest.size)})`;
      ctx.onProgress?.({ step: 'download', message, done: 0, total: plan.fetchBytes });
      try {
        await assembleVersion({
          target,
          manifest,
          sources,
          plan,
          readRanges: (ranges, receive) =>
            store.readRanges(version, ranges, async (position, bytes) => {
              fetched += bytes.length;
              ctx.onProgress?.({ step: 'download', message, done: Math.min(fetched, plan.fetchBytes), total: plan.fetchBytes });
              await receive(position, bytes);
            }, signal),
          ...signal,
        });
        return { how: 'blocks', bytes: fetched, size: manifest.size };
      } catch (error) {
        if (!(error instanceof DeltaMismatch)) throw error;
        ctx.onWarning?.(`Fetching only the changed blocks of ${database} failed (${error.message}); downloading it whole.`);
      }
    }
  }
  const result = await store.downloadToFile(version, target, {
    ...(version.sha1 ? { expectedSha1: version.sha1 } : {}),
    ...signal,
    onProgress: (done, total) => ctx.onProgress?.({ step: 'download', message: `Downloading ${database}`, done, total }),
  });
  return { how: 'whole', bytes: fetched + result.size, size: result.size };
}

/** A local copy known to hold the version (its SHA-1 was read earlier): copied, and checked again, since it may have changed or gone since. */
async function copyVerified(source: string, target: string, sha1: string, signal?: AbortSignal): Promise<boolean> {
  const temp = `${target}.${randomBytes(6).toString('hex')}.b2m-copy`;
  try {
    try {
      await copyFile(source, temp, constants.COPYFILE_FICLONE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(source)) return false;
      throw error;
    }
    if ((await sha1File(temp, signal)) !== sha1) return false;
    await replaceFileDurably(temp, target);
    return true;
  } finally {
    await rm(temp, { force: true });
  }
}
