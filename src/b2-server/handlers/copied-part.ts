import { createHash } from 'node:crypto';
import { B2ApiError, badRequest } from '../http/api-error';
import { MAX_PART_BYTES } from '../b2-limits';
import { readContent } from '../storage/content-reader';
import type { DataStore } from '../storage/data-store';
import type { ByteRange } from '../http/http-io';
import type { FileRecord, Segment } from '../storage/model';

/**
 * The `range` of b2_copy_part (`bytes=START-END`, END inclusive) on a source of `size` bytes;
 * the whole source without one. Unlike a download's Range, it is never clipped to the source.
 */
export function copyRange(range: string | undefined, size: number): ByteRange {
  if (range === undefined) return { start: 0, end: size - 1 };
  const match = /^bytes=(\d+)-(\d+)$/.exec(range.trim());
  if (!match) throw badRequest(`range must look like bytes=START-END, not "${range}"`);
  const start = Number(match[1]);
  const end = Number(match[2]);
  const unsatisfiable = (why: string): B2ApiError => new B2ApiError(416, 'range_not_satisfiable', `The range ${range} ${why}`);
  if (end < start) throw unsatisfiable('ends before it starts');
  if (end - start + 1 > MAX_PART_BYTES) throw badRequest(`A part must not exceed 5 GB (${MAX_PART_BYTES} bytes); the range ${range} is larger`);
  if (end >= size) throw unsatisfiable(`goes past the end of the source file (${size} bytes)`);
  return { start, end };
}

/**
 * The SHA-1 of a part copied from `range` of `source`. Known without reading when the range is a
 * whole simple file or exactly one part of a large file (the engine copies unchanged parts of the
 * previous version); read from `segments` otherwise (e.g. a large file of an earlier version of the
 * server, which kept no part digests).
 */
export async function copiedPartSha1(store: DataStore, source: FileRecord, range: ByteRange, segments: readonly Segment[]): Promise<string> {
  const length = range.end - range.start + 1;
  const wholeSha1 = source.contentSha1.replace(/^unverified:/, ''); // 'none' for a large file
  if (range.start === 0 && length === source.contentLength && wholeSha1 !== 'none') return wholeSha1;
  let offset = 0;
  for (const part of source.partDigests ?? []) {
    if (offset === range.start && part.contentLength === length) return part.contentSha1;
    offset += part.contentLength;
  }
  const hash = createHash('sha1');
  for await (const chunk of readContent(store, segments, { start: 0, end: length - 1 })) hash.update(chunk);
  return hash.digest('hex');
}
