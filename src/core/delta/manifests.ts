import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineContext } from '../context';
import { b2mDir } from '../paths';
import { writeFileAtomically } from '../state/atomic-write';
import type { DatabaseVersion } from '../versions/version-info';
import { scanBlocks } from './block-scan';
import { BLOCK_SIZE, decodeManifest, encodeManifest, manifestName, type Manifest } from './manifest';

/**
 * Manifests of versions, from the bucket (`.b2m/manifests/<db>/<sha1>.json`, written before the
 * version is finished) and cached under `.b2m/cache/manifests/` by SHA-1: content-addressed, so a
 * cached manifest never goes stale and a manifest is fetched at most once per version.
 */
export async function loadManifest(ctx: EngineContext, database: string, version: Pick<DatabaseVersion, 'sha1' | 'size'>): Promise<Manifest | undefined> {
  const { sha1, size } = version;
  if (!sha1) return undefined;
  const cached = await readCached(ctx, sha1, size);
  if (cached) return cached;
  const store = await ctx.store();
  const found = await store.downloadBytesByName(manifestName(ctx.ws.config.prefix, database, sha1), ctx.signal ? { signal: ctx.signal } : {});
  const manifest = found ? decodeManifest(found.bytes, { sha1, size }) : undefined;
  if (found && !manifest) ctx.onWarning?.(`The manifest of ${database} version ${sha1.slice(0, 12)} is damaged; b2m downloads that version whole.`);
  if (manifest) await cache(ctx, manifest);
  return manifest;
}

/** Uploads a version's manifest (before the version is finished, so every version b2m writes has one) and caches it. */
/** Returns the bytes uploaded. */
export async function publishManifest(ctx: EngineContext, database: string, manifest: Manifest): Promise<number> {
  const store = await ctx.store();
  const bytes = encodeManifest(manifest);
  await store.uploadBytes(manifestName(ctx.ws.config.prefix, database, manifest.sha1), bytes, {
    contentType: 'application/json',
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  await cache(ctx, manifest);
  return bytes.length;
}

/** The block hashes of a local copy of a version: its manifest's, else computed once and cached. */
export async function blockHashesOf(ctx: EngineContext, path: string, sha1: string): Promise<Buffer> {
  const cached = await readCached(ctx, sha1);
  if (cached) return cached.blockHashes;
  const blocksFile = join(cacheFolder(ctx, 'blocks'), `${sha1}.${BLOCK_SIZE}`);
  const known = await readFile(blocksFile).catch(() => undefined);
  if (known) return known;
  const scan = await scanBlocks(path, BLOCK_SIZE, ctx.signal ? { signal: ctx.signal } : {});
  if (scan.sha1 === sha1) await writeFileAtomically(blocksFile, scan.blockHashes);
  return scan.blockHashes;
}

/** A manifest known locally (published or fetched before), or undefined. */
export async function cachedManifest(ctx: EngineContext, sha1: string): Promise<Manifest | undefined> {
  return readCached(ctx, sha1);
}

export async function cache(ctx: EngineContext, manifest: Manifest): Promise<void> {
  await writeFileAtomically(join(cacheFolder(ctx, 'manifests'), `${manifest.sha1}.json`), encodeManifest(manifest));
}

async function readCached(ctx: EngineContext, sha1: string, size?: number): Promise<Manifest | undefined> {
  const bytes = await readFile(join(cacheFolder(ctx, 'manifests'), `${sha1}.json`)).catch(() => undefined);
  return bytes ? decodeManifest(bytes, { sha1, ...(size !== undefined ? { size } : {}) }) : undefined;
}

function cacheFolder(ctx: EngineContext, kind: 'manifests' | 'blocks'): string {
  return join(b2mDir(ctx.ws), 'cache', kind);
}
