import { RemoteError } from '../errors';
import type { B2Session } from './b2-session';
import { HttpGet } from './download-request';
import { readSmallBody, type BodyTransport, type DownloadResponse } from './download-response';
import { ClientGet } from './download-via-client';
import type { RemoteVersion } from './store';

export type VersionRef = Pick<RemoteVersion, 'id' | 'name'>;

/** A byte range of the file; its first `done` bytes are stored. */
export interface Segment {
  start: number;
  length: number;
  done: number;
}

/** Where the bytes of segments go. */
export interface SegmentSink {
  /** Stores bytes for `position` (in order within a segment); the next write waits for this one. */
  write(position: number, bytes: Buffer): Promise<void>;
  /** `bytes` more of some segment are stored (its `done` already counts them). */
  written(bytes: number): void;
}

const MAX_ERROR_BODY = 64 * 1024;

/**
 * Asks for the bytes from `start` to `end` (inclusive), or to the end of the file when `end` is
 * absent, with the download URL and token of the session's current authorization. Resolves once a
 * 2xx head is in; any other answer rejects like a failed B2 call (its JSON error body read).
 */
export async function requestRange(
  session: B2Session,
  version: VersionRef,
  start: number,
  end: number | undefined,
  transport: BodyTransport,
  signal: AbortSignal | undefined,
): Promise<DownloadResponse> {
  const range = start > 0 || end !== undefined ? `bytes=${start}-${end ?? ''}` : undefined;
  const response = transport.direct
    ? await openDirect(session, version, range, transport, signal)
    : await ClientGet.open(session, version, range, transport.pool, signal);
  session.clock.observe(response.headers['date']);
  if (response.status < 200 || response.status > 299) {
    const data = await readSmallBody(response, MAX_ERROR_BODY).catch(() => Buffer.alloc(0));
    throw Object.assign(new Error(`HTTP ${response.status}`), { response: { status: response.status, headers: response.headers, data } });
  }
  if (response.contentLength === undefined) {
    response.destroy();
    throw noSizeError(response.status);
  }
  return response;
}

function openDirect(session: B2Session, version: VersionRef, range: string | undefined, transport: BodyTransport, signal: AbortSignal | undefined): Promise<HttpGet> {
  const { client } = session;
  const url = new URL(`${client.downloadUrl ?? ''}/b2api/v2/b2_download_file_by_id?fileId=${encodeURIComponent(version.id)}`);
  const headers: Record<string, string> = { Authorization: client.authorizationToken ?? '' };
  if (range !== undefined) headers.Range = range;
  return HttpGet.open(url, headers, transport.pool, signal, transport.idleTimeoutMs);
}

export function parseContentRange(value: string | undefined): { start: number; total: number } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+)$/.exec(value ?? '');
  return match ? { start: Number(match[1]), total: Number(match[2]) } : undefined;
}

/**
 * Downloads the missing rest of `segment` into `sink`. `first`, a response
 * already open from the segment's start, serves the first attempt. Each later attempt is a fresh
 * Range request from the bytes on disk; the session retries (backoff, re-authorization). A body
 * that starts earlier than asked (a server ignoring Range) is skipped up to the wanted byte.
 */
export async function fetchSegment(
  session: B2Session,
  version: VersionRef,
  segment: Segment,
  sink: SegmentSink,
  transport: BodyTransport,
  signal: AbortSignal,
  first?: DownloadResponse,
): Promise<void> {
  let opened = first;
  await session.run(
    'b2_download_file_by_id',
    async () => {
      const from = segment.start + segment.done;
      const response = opened ?? (await requestRange(session, version, from, segment.start + segment.length - 1, transport, signal));
      opened = undefined;
      const bodyStart = parseContentRange(response.headers['content-range'])?.start ?? 0;
      if (bodyStart > from) {
        response.destroy();
        throw Object.assign(new Error(`The server sent bytes from ${bodyStart} when asked for ${from}.`), { code: 'ECONNRESET' });
      }
      await receive(response, segment, from - bodyStart, sink);
      if (segment.done < segment.length) {
        const message = `The download of bytes ${segment.start}-${segment.start + segment.length - 1} stopped after ${segment.done} bytes.`;
        throw Object.assign(new Error(message), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
      }
    },
    { signal },
  );
}

/**
 * Writes the body into the segment's missing bytes, after skipping `skip` bytes; the connection is
 * dropped once the segment is full. Writes run one after the other while the socket keeps filling
 * other blocks, and every write has finished when this returns or throws (cancellation included),
 * so `segment.done` describes what the sink holds exactly.
 */
async function receive(response: DownloadResponse, segment: Segment, skip: number, sink: SegmentSink): Promise<void> {
  let toSkip = skip;
  let position = segment.start + segment.done;
  let wanted = segment.length - segment.done;
  let writing: Promise<void> = Promise.resolve();
  let writeFailure: unknown;
  const reading = response.readBody((bytes, release) => {
    let piece = bytes.subarray(Math.min(toSkip, bytes.length));
    toSkip -= bytes.length - piece.length;
    if (piece.length > wanted) piece = piece.subarray(0, wanted);
    const at = position;
    position += piece.length;
    wanted -= piece.length;
    writing = writing
      .then(async () => {
        if (writeFailure !== undefined || piece.length === 0) return; // after a failure nothing more is written
        await sink.write(at, piece);
        segment.done += piece.length;
        sink.written(piece.length);
      })
      .catch((error: unknown) => {
        writeFailure ??= error;
        response.destroy(error);
      })
      .finally(release);
    return wanted > 0;
  });
  const readFailure = await reading.then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  await writing;
  if (writeFailure !== undefined) throw writeFailure;
  if (readFailure) throw readFailure.error;
}

export function noSizeError(status: number): RemoteError {
  return new RemoteError(
    'The download answer has no Content-Length, so its size is unknown.',
    'b2_download_file_by_id',
    status,
    undefined,
    'Check the endpoint (B2M_ENDPOINT): it does not answer like B2.',
  );
}
