import { createHash, randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { B2Response } from 'backblaze-b2';
import { CancelledError, IntegrityError } from '../errors';
import type { DownloadOptions, DownloadResult, RemoteVersion, TransferOptions } from './store';
import { wholeFileSha1 } from './b2-json';
import type { B2Session } from './b2-session';
import { decodeInfoValue } from './file-info';

type VersionRef = Pick<RemoteVersion, 'id' | 'name'>;

/** Writes are batched to this size (fewer syscalls than one per socket read)... */
const WRITE_BATCH = 1024 * 1024;
/** ...and at most this much waits for the disk while the socket keeps being read. */
const MAX_QUEUED_WRITES = 8 * 1024 * 1024;

/**
 * Streams a version into a temporary file beside `targetPath`, hashing as it writes; a broken
 * connection resumes with a Range request where it stopped. Only a complete file whose SHA-1
 * matches is fsynced and renamed over the target; otherwise the temporary file is removed and
 * the target is left as it was.
 */
export async function downloadToFile(
  session: B2Session,
  version: VersionRef,
  targetPath: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const { signal, onProgress } = options;
  const tempPath = join(dirname(targetPath), `.${basename(targetPath)}.${randomBytes(6).toString('hex')}.b2m-download`);
  const file = await open(tempPath, 'wx');
  let closed = false;
  try {
    let hash = createHash('sha1');
    let written = 0;
    let size: number | undefined;
    let serverSha1: string | undefined;
    const sink: Sink = {
      received: (chunk) => hash.update(chunk),
      written: (bytes) => {
        written += bytes;
        onProgress?.(written, size ?? written);
      },
    };
    await session.run(
      'b2_download_file_by_id',
      async () => {
        const response = await requestFrom(session, version, written, signal);
        const range = parseContentRange(response.headers['content-range']);
        if (written > 0 && range?.start !== written) {
          // The server did not resume where we stopped: take this body from the start.
          response.data.destroy();
          await file.truncate(0);
          hash = createHash('sha1');
          written = 0;
          throw Object.assign(new Error('The server did not resume the download where it stopped.'), { code: 'ECONNRESET' });
        }
        size ??= range?.total ?? Number(response.headers['content-length']);
        serverSha1 ??= wholeFileSha1(response.headers['x-bz-content-sha1'], decodeInfoValue(response.headers['x-bz-info-large_file_sha1'] ?? ''));
        onProgress?.(written, size);
        await pump(response.data, file, written, sink, signal);
        if (written < size) {
          throw Object.assign(new Error(`The download stopped after ${written} of ${size} bytes.`), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
        }
      },
      { signal },
    );
    const sha1 = hash.digest('hex');
    const expected = options.expectedSha1?.toLowerCase() ?? serverSha1;
    for (const wanted of [expected, serverSha1]) {
      if (wanted && wanted !== sha1) throw integrityError(version, sha1, wanted);
    }
    await file.sync();
    await file.close();
    closed = true;
    await rename(tempPath, targetPath);
    await syncDirectory(dirname(targetPath));
    return { sha1, size: written };
  } catch (error) {
    if (!closed) await file.close().catch(() => undefined);
    await unlink(tempPath).catch(() => undefined);
    throw error;
  }
}

/** Downloads a small version into memory, checking its SHA-1. */
export async function downloadBytes(session: B2Session, version: VersionRef, options: TransferOptions = {}): Promise<Buffer> {
  const { signal, onProgress } = options;
  const response = await session.run(
    'b2_download_file_by_id',
    async () =>
      session.observe(
        await session.client.downloadFileById({ ...session.args(signal), fileId: encodeURIComponent(version.id), responseType: 'arraybuffer' }),
      ),
    { signal },
  );
  const data = Buffer.from(response.data as ArrayBuffer);
  const sha1 = createHash('sha1').update(data).digest('hex');
  const expected = wholeFileSha1(response.headers['x-bz-content-sha1'], decodeInfoValue(response.headers['x-bz-info-large_file_sha1'] ?? ''));
  if (expected && expected !== sha1) throw integrityError(version, sha1, expected);
  onProgress?.(data.length, data.length);
  return data;
}

async function requestFrom(session: B2Session, version: VersionRef, offset: number, signal?: AbortSignal): Promise<B2Response<Readable>> {
  const override = offset > 0 ? { headers: { Range: `bytes=${offset}-` } } : undefined;
  const response = await session.client.downloadFileById({
    ...session.args(signal, override),
    fileId: encodeURIComponent(version.id),
    responseType: 'stream',
  });
  return session.observe(response) as B2Response<Readable>;
}

interface Sink {
  /** Each chunk as it arrives, in order (for the hash). */
  received(chunk: Buffer): void;
  /** Bytes now on disk. */
  written(bytes: number): void;
}

/**
 * Copies the body into `file` from `offset`. Writes are batched and overlap with receiving, but
 * on any exit every received chunk has been written (or a write failed, which ends the download),
 * so after a broken connection the hash and the offset still describe the file exactly.
 */
async function pump(body: Readable, file: FileHandle, offset: number, sink: Sink, signal: AbortSignal | undefined): Promise<void> {
  const onAbort = (): void => {
    body.destroy(new CancelledError());
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let position = offset;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let queued = 0;
  let writing: Promise<void> = Promise.resolve();
  const flush = (): void => {
    if (batchBytes === 0) return;
    const [chunks, bytes, at] = [batch, batchBytes, position];
    batch = [];
    batchBytes = 0;
    position += bytes;
    queued += bytes;
    writing = writing.then(async () => {
      await file.writev(chunks, at);
      queued -= bytes;
      sink.written(bytes);
    });
    writing.catch(() => undefined); // awaited below; this only keeps a failed write from being "unhandled" meanwhile
  };
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      sink.received(buffer);
      batch.push(buffer);
      batchBytes += buffer.length;
      if (batchBytes >= WRITE_BATCH) flush();
      if (queued > MAX_QUEUED_WRITES) await writing;
    }
  } catch (error) {
    // Keep what arrived before the break; the next attempt resumes after it.
    if (!signal?.aborted) {
      flush();
      await writing;
    }
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    body.destroy();
  }
  flush();
  await writing;
}

function parseContentRange(value: string | undefined): { start: number; total: number } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+)$/.exec(value ?? '');
  return match ? { start: Number(match[1]), total: Number(match[2]) } : undefined;
}

function integrityError(version: VersionRef, actual: string, expected: string): IntegrityError {
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
