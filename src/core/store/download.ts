import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { IntegrityError } from '../errors';
import type { DownloadOptions, DownloadResult } from './store';
import { wholeFileSha1 } from './b2-json';
import type { B2Session } from './b2-session';
import { bodyTransport } from './download-blocks';
import { BackgroundFlush } from './download-flush';
import { OrderedSha1 } from './download-hash';
import type { DownloadResponse } from './download-response';
import { noSizeError, parseContentRange, requestRange, type Segment, type SegmentSink, type VersionRef } from './download-segment';
import { decodeInfoValue } from './file-info';
import { contiguousDone, fetchSegments, planSegments, type SegmentPlan } from './ranged-download';

/**
 * Streams a version into a temporary file beside `targetPath`. The first request tells the size;
 * a large file is then fetched as ranged segments in parallel (`plan`), a small one continues on
 * that first stream. A broken connection resumes with a Range request where its segment stopped.
 * The SHA-1 is computed in file order as the bytes land. Only a complete file whose SHA-1 matches
 * is fsynced and renamed over the target; otherwise the temporary file is removed and the target
 * is left as it was.
 */
export async function downloadToFile(
  session: B2Session,
  version: VersionRef,
  targetPath: string,
  plan: SegmentPlan,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const { signal, onProgress } = options;
  const tempPath = join(dirname(targetPath), `.${basename(targetPath)}.${randomBytes(6).toString('hex')}.b2m-download`);
  const file = await open(tempPath, 'wx+'); // readable too: segments beyond the hashed prefix are read back
  let closed = false;
  let first: DownloadResponse | undefined;
  let segments: Segment[] = [];
  const hasher = new OrderedSha1(file, () => contiguousDone(segments));
  const flush = new BackgroundFlush(file, plan.segmentSize);
  const transport = bodyTransport(plan);
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
  try {
    first = await session.run('b2_download_file_by_id', () => requestRange(session, version, 0, undefined, transport, signal), { signal });
    const size = parseContentRange(first.headers['content-range'])?.total ?? first.contentLength;
    if (size === undefined || !Number.isSafeInteger(size)) throw noSizeError(first.status);
    const serverSha1 = wholeFileSha1(first.headers['x-bz-content-sha1'], decodeInfoValue(first.headers['x-bz-info-large_file_sha1'] ?? ''));
    segments = planSegments(size, plan);
    await fetchSegments(session, version, segments, { concurrency: plan.concurrency, first, sink, transport, onProgress, signal });
    const sha1 = await hasher.digest();
    const expected = options.expectedSha1?.toLowerCase() ?? serverSha1;
    for (const wanted of [expected, serverSha1]) {
      if (wanted && wanted !== sha1) throw integrityError(version, sha1, wanted);
    }
    await flush.idle();
    await file.sync();
    await file.close();
    closed = true;
    await rename(tempPath, targetPath);
    await syncDirectory(dirname(targetPath));
    return { sha1, size };
  } catch (error) {
    first?.destroy();
    await Promise.all([hasher.idle(), flush.idle()]);
    if (!closed) await file.close().catch(() => undefined);
    await unlink(tempPath).catch(() => undefined);
    throw error;
  }
}

async function writeFully(file: FileHandle, bytes: Buffer, position: number): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.length - offset, position + offset);
    offset += bytesWritten;
  }
}

export function integrityError(version: VersionRef, actual: string, expected: string): IntegrityError {
  return new IntegrityError(
    `The download of ${version.name} (version ${version.id}) is corrupt: its SHA-1 is ${actual}, expected ${expected}.`,
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
