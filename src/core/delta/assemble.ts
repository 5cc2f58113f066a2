import { constants } from 'node:fs';
import { copyFile, open, rm, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { throwIfAborted } from '../errors';
import { sha1File } from '../hash';
import { replaceFileDurably } from '../sqlite/database-files';
import type { ByteRange, RangeReceiver } from '../store/store';
import { hashBlock } from './block-scan';
import type { BlockSource, FetchPlan } from './fetch-plan';
import { blockHash, type Manifest } from './manifest';

/** Why an assembled file was refused: the caller then downloads the version whole. */
export class DeltaMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeltaMismatch';
  }
}

export interface AssembleRequest {
  target: string;
  manifest: Manifest;
  sources: readonly BlockSource[];
  plan: FetchPlan;
  /** Reads ranges of the version from the bucket. */
  readRanges: (ranges: readonly ByteRange[], receive: RangeReceiver) => Promise<void>;
  signal?: AbortSignal;
}

/**
 * Builds a version beside `target` from local blocks and fetched ones, then renames it into place:
 * starts from a clone of the first source (copy-on-write where the file system offers it, a plain
 * copy elsewhere), writes the blocks that differ, checks every fetched block against the manifest
 * (a corrupt one is fetched once more) and the whole file against its SHA-1. Anything wrong throws
 * DeltaMismatch and leaves no file behind.
 */
export async function assembleVersion(request: AssembleRequest): Promise<void> {
  const { target, manifest, sources, plan, signal } = request;
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.b2m-assemble`);
  let file: FileHandle | undefined;
  try {
    const first = sources[0];
    if (first) await copyFile(first.path, temp, constants.COPYFILE_FICLONE);
    file = await open(temp, first ? 'r+' : 'w+');
    await copyLocalBlocks(file, manifest, sources, plan, signal);
    let corrupt = await fetchBlocks(file, manifest, plan.fetch, request.readRanges);
    if (corrupt.length > 0) corrupt = await fetchBlocks(file, manifest, corrupt, request.readRanges);
    if (corrupt.length > 0) throw new DeltaMismatch(`${corrupt.length} block(s) arrived corrupt twice`);
    await file.truncate(manifest.size);
    await file.close();
    file = undefined;
    const sha1 = await sha1File(temp, signal);
    if (sha1 !== manifest.sha1) throw new DeltaMismatch(`the assembled file's SHA-1 is ${sha1}, expected ${manifest.sha1}`);
    await replaceFileDurably(temp, target);
  } catch (error) {
    await file?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}

/** Blocks found locally but not at the same place in the first source: read and written one by one. */
async function copyLocalBlocks(file: FileHandle, manifest: Manifest, sources: readonly BlockSource[], plan: FetchPlan, signal?: AbortSignal): Promise<void> {
  const moves = plan.local.filter((l) => l.source !== 0 || l.sourceIndex !== l.index);
  if (moves.length === 0) return;
  const { blockSize } = manifest;
  const buffer = Buffer.allocUnsafe(blockSize);
  const handles = new Map<number, FileHandle>();
  try {
    for (const move of moves) {
      throwIfAborted(signal);
      const source = sources[move.source] as BlockSource;
      let handle = handles.get(move.source);
      if (!handle) {
        handle = await open(source.path, 'r');
        handles.set(move.source, handle);
      }
      const length = Math.min(blockSize, manifest.size - move.index * blockSize);
      const { bytesRead } = await handle.read(buffer, 0, length, move.sourceIndex * blockSize);
      if (bytesRead !== length || !hashBlock(buffer.subarray(0, length)).equals(blockHash(manifest, move.index))) {
        throw new DeltaMismatch(`block ${move.sourceIndex} of ${source.path} is not what its hash says (the copy changed?)`);
      }
      await writeFully(file, buffer.subarray(0, length), move.index * blockSize);
    }
  } finally {
    await Promise.all([...handles.values()].map((h) => h.close()));
  }
}

/** Fetches the ranges, writes each block whose hash matches; returns the ranges of blocks that did not. */
async function fetchBlocks(file: FileHandle, manifest: Manifest, ranges: readonly ByteRange[], readRanges: AssembleRequest['readRanges']): Promise<ByteRange[]> {
  if (ranges.length === 0) return [];
  const { blockSize } = manifest;
  const buffers = new Map(ranges.map((r) => [r.start, { range: r, bytes: Buffer.allocUnsafe(r.length), filled: 0 }]));
  const starts = ranges.map((r) => r.start).sort((a, b) => a - b);
  const corrupt: ByteRange[] = [];
  await readRanges(ranges, async (position, bytes) => {
    const entry = buffers.get(rangeStartOf(starts, position));
    if (!entry) throw new DeltaMismatch(`bytes at ${position} belong to no range asked for`);
    bytes.copy(entry.bytes, position - entry.range.start);
    entry.filled = Math.max(entry.filled, position - entry.range.start + bytes.length);
    if (entry.filled < entry.range.length) return;
    for (let at = 0; at < entry.range.length; at += blockSize) {
      const start = entry.range.start + at;
      const block = entry.bytes.subarray(at, Math.min(at + blockSize, entry.range.length));
      if (hashBlock(block).equals(blockHash(manifest, start / blockSize))) await writeFully(file, block, start);
      else corrupt.push({ start, length: block.length });
    }
    buffers.delete(entry.range.start);
  });
  if (buffers.size > 0) throw new DeltaMismatch(`${buffers.size} range(s) did not arrive whole`);
  return corrupt;
}

function rangeStartOf(sortedStarts: readonly number[], position: number): number {
  let lo = 0;
  let hi = sortedStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((sortedStarts[mid] as number) <= position) lo = mid;
    else hi = mid - 1;
  }
  return sortedStarts[lo] as number;
}

async function writeFully(file: FileHandle, bytes: Buffer, position: number): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.length - offset, position + offset);
    offset += bytesWritten;
  }
}
