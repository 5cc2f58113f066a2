import { blockCount, blockHash, HASH_BYTES, type Manifest } from './manifest';

/** A local file whose block hashes are known (a cached snapshot of an earlier version). */
export interface BlockSource {
  path: string;
  size: number;
  blockHashes: Buffer;
}

export interface ByteRange {
  start: number;
  length: number;
}

/** Where each block of a version comes from: a local file, or the bucket. */
export interface FetchPlan {
  /** Blocks found locally: target block `index` is block `sourceIndex` of `sources[source]`. */
  local: Array<{ index: number; source: number; sourceIndex: number }>;
  /** Runs of missing blocks, coalesced, each at most `maxRangeBytes` long. */
  fetch: ByteRange[];
  fetchBytes: number;
}

/**
 * Finds every block of `target` in the local sources by hash (the same position first, then
 * anywhere: pages that moved are reused too) and coalesces the rest into ranges to download.
 */
export function planFetch(target: Pick<Manifest, 'size' | 'blockSize' | 'blockHashes'>, sources: readonly BlockSource[], maxRangeBytes = 8 * 1024 * 1024): FetchPlan {
  const { size, blockSize } = target;
  const anywhere = new Map<string, { source: number; sourceIndex: number }>();
  sources.forEach((s, source) => {
    for (let sourceIndex = blockCount(s.size, blockSize) - 1; sourceIndex >= 0; sourceIndex--) {
      anywhere.set(s.blockHashes.subarray(sourceIndex * HASH_BYTES, (sourceIndex + 1) * HASH_BYTES).toString('hex'), { source, sourceIndex });
    }
  });
  const local: FetchPlan['local'] = [];
  const fetch: ByteRange[] = [];
  let fetchBytes = 0;
  for (let index = 0; index < blockCount(size, blockSize); index++) {
    const wanted = blockHash(target, index);
    const samePlace = sources.findIndex((s) => index < blockCount(s.size, blockSize) && s.blockHashes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES).equals(wanted));
    const found = samePlace >= 0 ? { source: samePlace, sourceIndex: index } : anywhere.get(wanted.toString('hex'));
    if (found) {
      local.push({ index, ...found });
      continue;
    }
    const start = index * blockSize;
    const length = Math.min(blockSize, size - start);
    fetchBytes += length;
    const last = fetch.at(-1);
    if (last && last.start + last.length === start && last.length + length <= maxRangeBytes) last.length += length;
    else fetch.push({ start, length });
  }
  return { local, fetch, fetchBytes };
}
