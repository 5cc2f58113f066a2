import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { IntegrityError } from '../../errors';
import { sha1OfDownload } from '../b2/download-headers';
import type { DownloadOptions, DownloadResult } from '../store';
import { BackgroundFlush } from './background-flush';
import { OrderedSha1 } from './ordered-sha1';
import { parseContentRange, type RangeReader, type Segment, type SegmentSink } from './range-reader';
import { readSegments } from './segments';

export interface SegmentPlan {
  /** Bytes per ranged request; files of at least two segments are downloaded in parallel. */
  segmentSize: number;
  /** Segments downloaded at the same time. */
  concurrency: number;
}

/**
 * Streams a file into a temporary file beside `targetPath`. The first request tells the size; a
 * large file is then fetched as ranged segments in parallel (`plan`), a small one continues on
 * that first answer. A broken connection resumes with a Range request where its segment stopped.
 * The SHA-1 is computed in file order as the bytes land. Only a complete file whose SHA-1 matches
 * is fsynced and renamed over the target; otherwise the temporary file is removed and the target
 * is left as it was.
 */
export async function downloadToFile(reader: RangeReader, targetPath: string, plan: SegmentPlan, options: DownloadOptions = {}): Promise<DownloadResult> {
  const { signal, onProgress } = options;
  const tempPath = join(dirname(targetPath), `.${basename(targetPath)}.${randomBytes(6).toString('hex')}.b2m-download`);
  const file = await open(tempPath, 'wx+'); // readable too: segments beyond the hashed prefix are read back
  let closed = false;
  let segments: Segment[] = [];
  const hasher = new OrderedSha1(file, () => contiguousDone(segments));
  const flush = new BackgroundFlush(file, plan.segmentSize);
  const sink: SegmentSink = {
    write: (position, bytes) => {
      hasher.received(position, bytes);
      return writeFully(file, bytes, position);
    },
    written: (bytes) => {
      hasher.written();
      flush.written(bytes);
    },
  };
  const first = await reader.openWhole(signal).catch(async (error: unknown) => {
    await file.close();
    await unlink(tempPath);
    throw error;
  });
  try {
    const size = parseContentRange(first.headers['content-range'])?.total ?? (first.contentLength as number);
    const serverSha1 = sha1OfDownload(first.headers);
    segments = planSegments(size, plan);
    await readSegments(reader, segments, sink, { concurrency: plan.concurrency, first, onProgress, signal });
    const sha1 = await hasher.digest();
    const expected = options.expectedSha1?.toLowerCase() ?? serverSha1;
    for (const wanted of [expected, serverSha1]) {
      if (wanted && wanted !== sha1) throw integrityError(reader.label, sha1, wanted);
    }
    await flush.idle();
    await file.sync();
    await file.close();
    closed = true;
    await rename(tempPath, targetPath);
    await syncDirectory(dirname(targetPath));
    return { sha1, size };
  } catch (error) {
    first.destroy();
    await Promise.all([hasher.idle(), flush.idle()]);
    if (!closed) await file.close().catch(() => undefined);
    await unlink(tempPath).catch(() => undefined);
    throw error;
  }
}

/** One segment for a small file; `segmentSize` slices for a file of two segments or more. */
function planSegments(size: number, plan: SegmentPlan): Segment[] {
  if (plan.concurrency < 2 || size < 2 * plan.segmentSize) return [{ start: 0, length: size, done: 0 }];
  return Array.from({ length: Math.ceil(size / plan.segmentSize) }, (_, i) => {
    const start = i * plan.segmentSize;
    return { start, length: Math.min(plan.segmentSize, size - start), done: 0 };
  });
}

/** Bytes from the start of the file that are all on disk. */
export function contiguousDone(segments: readonly Segment[]): number {
  let bytes = 0;
  for (const segment of segments) {
    bytes += segment.done;
    if (segment.done < segment.length) break;
  }
  return bytes;
}

/** Writes all of `bytes` at `position` (a write may store fewer bytes than asked). */
export async function writeFully(file: FileHandle, bytes: Buffer, position: number): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.length - offset, position + offset);
    offset += bytesWritten;
  }
}

/** The download of `label` is corrupt. */
export function integrityError(label: string, actual: string, expected: string): IntegrityError {
  return new IntegrityError(
    `The download of ${label} is corrupt: its SHA-1 is ${actual}, expected ${expected}.`,
    'Nothing local was changed. Try again; if it keeps failing, the stored version may be damaged: pick another version.',
  );
}

/** Makes the rename durable. Windows cannot open a directory for syncing; there the rename is as durable as NTFS makes it. */
async function syncDirectory(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
