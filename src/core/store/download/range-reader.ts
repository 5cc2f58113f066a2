import { RemoteError } from '../../errors';
import { parseErrorBody, PROXY_REFUSED, TransportError } from '../b2/transport-error';
import type { B2Session } from '../b2/session';
import type { BlockPool } from './block-pool';
import { HttpGet } from './http-get';
import { proxyFor } from './proxy';

/** What a download reads: a version by its id, or the newest visible version of a name. */
export type DownloadSource = { id: string; name: string } | { byName: string };

export interface ConnectionSettings {
  /** A connection that receives nothing for this long while data is wanted is dropped (and resumed). */
  idleTimeoutMs: number;
  /** The proxy given explicitly; else the environment's (HTTPS_PROXY...) applies. */
  proxy?: URL;
}

/** A byte range of the file; its first `done` bytes are stored. */
export interface Segment {
  start: number;
  length: number;
  done: number;
}

/** Where the bytes of segments go. */
export interface SegmentSink {
  /** Stores bytes for `position` (in order within a segment); the next write waits for this one. `bytes` is reused after. */
  write(position: number, bytes: Buffer): Promise<void>;
  /** `bytes` more of some segment are stored (its `done` already counts them). */
  written?(bytes: number): void;
}

const MAX_ERROR_BODY = 64 * 1024;

/**
 * The one way to read bytes of a remote file: a GET of a byte range with the session's current
 * download URL and token, retried like every B2 call (backoff, re-authorization) and resumed
 * where a cut connection stopped. Bodies land in the blocks of `pool`, which bounds the memory of
 * every connection the reader has open.
 */
export class RangeReader {
  readonly operation: string;
  readonly label: string;

  constructor(
    private readonly session: B2Session,
    private readonly source: DownloadSource,
    private readonly settings: ConnectionSettings,
    private readonly pool: BlockPool,
  ) {
    this.operation = 'byName' in source ? 'b2_download_file_by_name' : 'b2_download_file_by_id';
    this.label = 'byName' in source ? source.byName : `${source.name} (version ${source.id})`;
  }

  /**
   * One attempt at the bytes from `start` to `end` (inclusive), or to the end of the file when `end`
   * is absent. Resolves once a 2xx head is in; another status is a TransportError with B2's error body.
   */
  async open(start: number, end: number | undefined, signal: AbortSignal | undefined): Promise<HttpGet> {
    const url = this.url();
    const headers: Record<string, string> = { Authorization: this.session.client.authorizationToken ?? '' };
    if (start > 0 || end !== undefined) headers.Range = `bytes=${start}-${end ?? ''}`;
    const proxy = proxyFor(url, this.settings.proxy);
    const response = await HttpGet.open({ url, headers, proxy }, this.pool, signal, this.settings.idleTimeoutMs);
    this.session.clock.observe(response.headers['date']);
    const { status } = response;
    if (status === 407 && proxy) {
      response.destroy();
      throw new TransportError('connect', `The proxy ${proxy.origin} wants credentials (HTTP 407).`, { code: PROXY_REFUSED, origin: proxy.origin });
    }
    if (status < 200 || status > 299) {
      const body = parseErrorBody((await response.readAll(MAX_ERROR_BODY).catch(() => Buffer.alloc(0))).toString('utf8'));
      throw new TransportError('status', `HTTP ${status}`, { status, headers: response.headers, body, origin: url.origin });
    }
    if (response.contentLength === undefined) {
      response.destroy();
      throw new RemoteError(
        'The download answer has no Content-Length, so its size is unknown.',
        this.operation,
        status,
        undefined,
        'Check the endpoint (B2M_ENDPOINT): it does not answer like B2.',
      );
    }
    return response;
  }

  /** The file from its first byte, retried: the answer tells its size and serves its first segment. */
  openWhole(signal: AbortSignal | undefined): Promise<HttpGet> {
    return this.session.run(this.operation, () => this.open(0, undefined, signal), { signal });
  }

  /** The whole file in memory, with the headers of the answer that brought it (small files), retried. */
  readAll(signal: AbortSignal | undefined): Promise<{ bytes: Buffer; headers: Record<string, string | undefined> }> {
    return this.session.run(
      this.operation,
      async () => {
        const response = await this.open(0, undefined, signal);
        const bytes = await response.readAll();
        if (bytes.length !== response.contentLength) throw cutShort(this.label, bytes.length, response.contentLength ?? 0);
        return { bytes, headers: response.headers };
      },
      { signal },
    );
  }

  /**
   * Reads the missing rest of `segment` into `sink`. `first`, an answer already open at the
   * segment's start, serves the first attempt; each later one asks for the bytes still missing.
   * A body that starts earlier than asked (a server ignoring Range) is skipped up to the wanted byte.
   */
  async read(segment: Segment, sink: SegmentSink, signal: AbortSignal, first?: HttpGet): Promise<void> {
    let opened = first;
    await this.session.run(
      this.operation,
      async () => {
        const from = segment.start + segment.done;
        const response = opened ?? (await this.open(from, segment.start + segment.length - 1, signal));
        opened = undefined;
        const bodyStart = parseContentRange(response.headers['content-range'])?.start ?? 0;
        if (bodyStart > from) {
          response.destroy();
          throw new TransportError('reset', `The server sent bytes from ${bodyStart} when asked for ${from}.`);
        }
        await receive(response, segment, from - bodyStart, sink);
        if (segment.done < segment.length) throw cutShort(this.label, segment.done, segment.length, segment.start);
      },
      { signal },
    );
  }

  private url(): URL {
    const base = this.session.client.downloadUrl ?? '';
    if ('byName' in this.source) {
      const path = this.source.byName.split('/').map(encodeURIComponent).join('/');
      return new URL(`${base}/file/${encodeURIComponent(this.session.bucketName)}/${path}`);
    }
    return new URL(`${base}/b2api/v2/b2_download_file_by_id?fileId=${encodeURIComponent(this.source.id)}`);
  }
}

export function parseContentRange(value: string | undefined): { start: number; total: number } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+)$/.exec(value ?? '');
  return match ? { start: Number(match[1]), total: Number(match[2]) } : undefined;
}

function cutShort(label: string, got: number, wanted: number, from = 0): TransportError {
  return new TransportError('reset', `The download of bytes ${from}-${from + wanted - 1} of ${label} stopped after ${got} bytes.`, {
    code: 'ERR_STREAM_PREMATURE_CLOSE',
  });
}

/**
 * Writes the body into the segment's missing bytes, after skipping `skip` bytes; the connection is
 * dropped once the segment is full. Writes run one after the other while the socket keeps filling
 * other blocks, and every write has finished when this returns or throws (cancellation included),
 * so `segment.done` describes what the sink holds exactly.
 */
async function receive(response: HttpGet, segment: Segment, skip: number, sink: SegmentSink): Promise<void> {
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
        sink.written?.(piece.length);
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
