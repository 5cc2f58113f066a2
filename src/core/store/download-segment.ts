import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { B2Response } from 'backblaze-b2';
import { CancelledError } from '../errors';
import type { B2Session } from './b2-session';
import type { RemoteVersion } from './store';

export type VersionRef = Pick<RemoteVersion, 'id' | 'name'>;
export type DownloadResponse = B2Response<Readable>;

/** A byte range of the file; its first `done` bytes are on disk. */
export interface Segment {
  start: number;
  length: number;
  done: number;
}

export interface SegmentSink {
  /** Each chunk as it arrives, with its position in the file (in order within a segment). */
  received(position: number, chunk: Buffer): void;
  /** `bytes` more of some segment are on disk (its `done` already counts them). */
  written(bytes: number): void;
}

/** Writes are batched to this size (fewer syscalls than one per socket read)... */
const WRITE_BATCH = 1024 * 1024;
/** ...and at most this much per segment waits for the disk while the socket keeps being read. */
const MAX_QUEUED_WRITES = 8 * 1024 * 1024;

/** Asks for the bytes from `start` to `end` (inclusive), or to the end of the file when `end` is absent. */
export async function requestRange(
  session: B2Session,
  version: VersionRef,
  start: number,
  end: number | undefined,
  signal: AbortSignal | undefined,
): Promise<DownloadResponse> {
  const override = start > 0 || end !== undefined ? { headers: { Range: `bytes=${start}-${end ?? ''}` } } : undefined;
  const response = await session.client.downloadFileById({
    ...session.args(signal, override),
    fileId: encodeURIComponent(version.id),
    responseType: 'stream',
  });
  return session.observe(response) as DownloadResponse;
}

export function parseContentRange(value: string | undefined): { start: number; total: number } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+)$/.exec(value ?? '');
  return match ? { start: Number(match[1]), total: Number(match[2]) } : undefined;
}

/**
 * Downloads the missing rest of `segment` into `file` with positional writes. `first`, a response
 * already open from the segment's start, serves the first attempt. Each later attempt is a fresh
 * Range request from the bytes on disk; the session retries (backoff, re-authorization). A body
 * that starts earlier than asked (a server ignoring Range) is skipped up to the wanted byte.
 */
export async function fetchSegment(
  session: B2Session,
  version: VersionRef,
  file: FileHandle,
  segment: Segment,
  sink: SegmentSink,
  signal: AbortSignal,
  first?: DownloadResponse,
): Promise<void> {
  let opened = first;
  await session.run(
    'b2_download_file_by_id',
    async () => {
      const from = segment.start + segment.done;
      const response = opened ?? (await requestRange(session, version, from, segment.start + segment.length - 1, signal));
      opened = undefined;
      const bodyStart = parseContentRange(response.headers['content-range'])?.start ?? 0;
      if (bodyStart > from) {
        response.data.destroy();
        throw Object.assign(new Error(`The server sent bytes from ${bodyStart} when asked for ${from}.`), { code: 'ECONNRESET' });
      }
      const skip = from - bodyStart;
      // A body that goes on past the segment (the first response, which runs to the end of the file) is
      // dropped once the segment is full; one that ends with it is read to its end, keeping the connection.
      const overrun = Number(response.headers['content-length']) > skip + segment.length - segment.done;
      await pump(response.data, file, segment, { skip, overrun }, sink, signal);
      if (segment.done < segment.length) {
        const message = `The download of bytes ${segment.start}-${segment.start + segment.length - 1} stopped after ${segment.done} bytes.`;
        throw Object.assign(new Error(message), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
      }
    },
    { signal },
  );
}

/**
 * Copies the body into the segment's missing bytes, after skipping `shape.skip` bytes. Writes are batched
 * and overlap with receiving, but on any exit other than cancellation every received chunk has been
 * written (or a write failed, which ends the download), so `segment.done` describes the file exactly.
 */
async function pump(
  body: Readable,
  file: FileHandle,
  segment: Segment,
  shape: { skip: number; overrun: boolean },
  sink: SegmentSink,
  signal: AbortSignal,
): Promise<void> {
  const onAbort = (): void => {
    body.destroy(new CancelledError());
  };
  signal.addEventListener('abort', onAbort, { once: true });
  let toSkip = shape.skip;
  let received = segment.start + segment.done;
  let wanted = segment.length - segment.done;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let queued = 0;
  let writing: Promise<void> = Promise.resolve();
  const flush = (): void => {
    if (batchBytes === 0) return;
    const [chunks, bytes, at] = [batch, batchBytes, received - batchBytes];
    batch = [];
    batchBytes = 0;
    queued += bytes;
    writing = writing.then(async () => {
      await file.writev(chunks, at);
      queued -= bytes;
      segment.done += bytes;
      sink.written(bytes);
    });
    writing.catch(() => undefined); // awaited below; this only keeps a failed write from being "unhandled" meanwhile
  };
  try {
    for await (const chunk of wanted > 0 ? body : []) {
      let piece = chunk as Buffer;
      if (toSkip > 0) {
        const skipped = Math.min(toSkip, piece.length);
        toSkip -= skipped;
        piece = piece.subarray(skipped);
      }
      if (piece.length > wanted) piece = piece.subarray(0, wanted);
      if (piece.length === 0) continue;
      sink.received(received, piece);
      received += piece.length;
      wanted -= piece.length;
      batch.push(piece);
      batchBytes += piece.length;
      if (batchBytes >= WRITE_BATCH || wanted === 0) flush();
      if (queued > MAX_QUEUED_WRITES) await writing;
      if (wanted === 0 && shape.overrun) break;
    }
  } catch (error) {
    // Keep what arrived before the break; the next attempt resumes after it.
    if (!signal.aborted) {
      flush();
      await writing;
    }
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
    body.destroy();
  }
  flush();
  await writing;
}
