import type { OnReadOpts, Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { isIP } from 'node:net';
import { CancelledError } from '../../errors';
import { kindOfCode, TransportError } from '../b2/transport-error';
import type { BlockPool } from './block-pool';
import { connectTo, hostOf, openTunnel, proxyAuthorization } from './proxy';
import { badResponse, parseResponseHead } from './response-head';

/**
 * Takes the body in file order: `bytes` is a view of a pool block, which must be given back with
 * `release()` once used. Returns false once it wants no more.
 */
export type BodyConsumer = (bytes: Buffer, release: () => void) => boolean;

export interface GetRequest {
  url: URL;
  /** Header values must not contain line breaks. */
  headers: Record<string, string>;
  /** Through this proxy: an absolute-form GET for an http: URL, a CONNECT tunnel for https:. */
  proxy?: URL;
}

/** Bytes that arrive while no block is free (the head, a TLS record after a pause) land here and are copied out. */
const PARKING_BYTES = 64 * 1024;
const MAX_HEAD_BYTES = PARKING_BYTES;

/**
 * One HTTP/1.1 GET on a connection of its own, for download bodies. Node's HTTP clients copy every
 * body chunk out of a freshly allocated socket buffer; on this project's machines touching that
 * much new memory, not the network, limited downloads (undici, measured: well under half the
 * speed). Here the socket reads straight into reused pool blocks (`onread`), so a body costs no
 * allocation. The one exception is TLS inside a proxy tunnel, which Node cannot give `onread`:
 * its chunks are copied into the blocks.
 *
 * Failures are TransportErrors (connect, reset, timeout); cancellation is a CancelledError. A
 * connection on which nothing arrives for `idleTimeoutMs` while data is wanted is dropped.
 */
export class HttpGet {
  status = 0;
  /** Lower-case names. */
  headers: Record<string, string | undefined> = {};
  /** Undefined when the body is not delimited by Content-Length (chunked, or up to the close). */
  contentLength: number | undefined;

  private socket?: Socket;
  private readonly parking = Buffer.allocUnsafe(PARKING_BYTES);
  /** Bytes that arrived and are not in a block yet. */
  private parked: Buffer[] = [];
  private parkedBytes = 0;
  private block?: Buffer;
  private filled = 0;
  /** Body bytes still to arrive. */
  private remaining = Infinity;
  private phase: 'head' | 'head-done' | 'body' | 'ended' = 'head';
  private consume?: BodyConsumer;
  private cancelWait?: () => void;
  private failure?: unknown;
  private settle?: { resolve: () => void; reject: (error: unknown) => void };

  private constructor(
    private readonly pool: BlockPool,
    private readonly signal: AbortSignal | undefined,
    private readonly idleTimeoutMs: number,
    /** Where the connection goes (the proxy, if any), for errors. */
    private readonly origin: string,
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Sends the GET; resolves once the status line and headers are in. */
  static open(request: GetRequest, pool: BlockPool, signal: AbortSignal | undefined, idleTimeoutMs: number): Promise<HttpGet> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const get = new HttpGet(pool, signal, idleTimeoutMs, (request.proxy ?? request.url).origin);
    return new Promise((resolve, reject) => {
      get.settle = { resolve: () => resolve(get), reject };
      get.connect(request).catch((error: unknown) => get.fail(error));
    });
  }

  /**
   * Feeds the body to `consume` block by block. Resolves once the whole body went to it, or it
   * asked for no more (the connection is then dropped); rejects on a failure of the connection.
   */
  readBody(consume: BodyConsumer): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.consume = consume;
    this.phase = 'body';
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      this.pump();
      this.resumeIfReady();
    });
  }

  /** The whole body in one buffer (small answers: error bodies, lock attempts, manifests), up to about `maxBytes`. */
  async readAll(maxBytes = Infinity): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    await this.readBody((bytes, release) => {
      chunks.push(Buffer.from(bytes));
      size += bytes.length;
      release();
      return size < maxBytes;
    });
    return Buffer.concat(chunks);
  }

  /** Drops the connection; a pending `readBody` rejects with `error`. */
  destroy(error: unknown = new CancelledError()): void {
    this.fail(error);
  }

  private async connect(request: GetRequest): Promise<void> {
    const { url, proxy } = request;
    const forwarded = proxy !== undefined && url.protocol === 'http:'; // else a tunnel, if proxied
    const authorization = forwarded ? proxyAuthorization(proxy) : undefined;
    const lines = [`GET ${forwarded ? url.href : `${url.pathname}${url.search}`} HTTP/1.1`, `Host: ${url.host}`, 'Connection: close'];
    if (authorization) lines.push(`Proxy-Authorization: ${authorization}`);
    for (const [name, value] of Object.entries(request.headers)) {
      if (/[\r\n]/.test(value)) throw new Error(`The ${name} header of a download contains a line break.`);
      lines.push(`${name}: ${value}`);
    }
    const onread: OnReadOpts = { buffer: () => this.readInto(), callback: (bytes, into) => this.received(bytes, into) };
    let socket: Socket;
    if (proxy === undefined || forwarded) {
      socket = connectTo(proxy ?? url, onread);
    } else {
      const tunnel = await openTunnel(proxy, url, this.signal, this.idleTimeoutMs);
      if (this.phase === 'ended') {
        tunnel.destroy();
        return;
      }
      const host = hostOf(url);
      const options: ConnectionOptions = { socket: tunnel, servername: isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'] };
      socket = connectTls(options);
      socket.on('data', (chunk: Buffer) => this.receivedChunk(chunk));
    }
    this.socket = socket;
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.fail(new TransportError(kindOfCode(error.code) ?? 'reset', error.message, { code: error.code, origin: this.origin }, { cause: error }));
    });
    socket.on('close', () => this.closed());
    // Only while data is wanted: a socket paused here (no free block yet) is not stalled.
    socket.setTimeout(this.idleTimeoutMs);
    socket.on('timeout', () => {
      const message = `Nothing arrived for ${this.idleTimeoutMs / 1000} s: the download connection stalled.`;
      this.fail(new TransportError('timeout', message, { code: 'ETIMEDOUT', origin: this.origin }));
    });
    if (this.phase === 'ended') socket.destroy(); // cancelled while connecting
  }

  private readonly onAbort = (): void => {
    this.fail(new CancelledError());
  };

  /** Where the socket reads next: the free part of the current block, else the parking buffer. */
  private readInto(): Buffer {
    if (this.block === undefined || this.phase !== 'body' || this.parkedBytes > 0) return this.parking;
    return this.block.subarray(this.filled, Math.min(this.block.length, this.filled + this.remaining));
  }

  /** `onread`: `bytes` landed in `into`. Returns false to pause the socket until a block is free or the body is asked for. */
  private received(bytes: number, into: Uint8Array): boolean {
    if (this.phase === 'ended') return false;
    if (into === this.parking) {
      this.park(this.parking.subarray(0, bytes));
    } else {
      this.filled += bytes;
      this.remaining -= bytes;
      if (this.phase === 'body') this.pump();
    }
    // The parking buffer takes the next read: what is left of it must be copied out.
    const last = this.parked.at(-1);
    if (last?.buffer === this.parking.buffer) this.parked[this.parked.length - 1] = Buffer.from(last);
    return this.wantsMore();
  }

  /** A 'data' event (TLS inside a proxy tunnel): the chunk is parked as it is. */
  private receivedChunk(chunk: Buffer): void {
    if (this.phase === 'ended') return;
    this.park(chunk);
    if (!this.wantsMore()) this.socket?.pause();
  }

  private park(bytes: Buffer): void {
    const kept = this.phase === 'head' ? bytes : bytes.subarray(0, Math.min(bytes.length, this.remaining));
    this.parked.push(kept);
    this.parkedBytes += kept.length;
    if (this.phase === 'head') this.parseHead();
    else this.remaining -= kept.length;
    if (this.phase === 'body') this.pump();
  }

  private wantsMore(): boolean {
    const more = this.phase === 'head' || this.readyForMore();
    if (!more) this.socket?.setTimeout(0);
    return more;
  }

  private readyForMore(): boolean {
    return this.phase === 'body' && this.block !== undefined && this.parkedBytes === 0;
  }

  private resumeIfReady(): void {
    if (!this.readyForMore()) return;
    this.socket?.setTimeout(this.idleTimeoutMs);
    this.socket?.resume();
  }

  private parseHead(): void {
    const data = Buffer.concat(this.parked);
    let head;
    try {
      head = parseResponseHead(data);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (head === undefined) {
      if (data.length > MAX_HEAD_BYTES) this.fail(badResponse('The head of the download answer is too long.'));
      return;
    }
    ({ status: this.status, headers: this.headers, contentLength: this.contentLength } = head);
    const body = data.subarray(head.bytes, head.bytes + (this.contentLength ?? Infinity));
    this.parked = body.length > 0 ? [body] : [];
    this.parkedBytes = body.length;
    this.remaining = (this.contentLength ?? Infinity) - body.length;
    this.phase = 'head-done';
    this.settle?.resolve();
  }

  /** Moves parked bytes into blocks and hands every full block (or the body's last) to the consumer. */
  private pump(): void {
    while (this.phase === 'body') {
      if (this.block === undefined) {
        if (this.cancelWait !== undefined) return;
        const block = this.pool.take();
        if (block === undefined) {
          this.cancelWait = this.pool.wait((given) => {
            this.cancelWait = undefined;
            this.block = given;
            this.filled = 0;
            this.pump();
            this.resumeIfReady();
          });
          return;
        }
        this.block = block;
        this.filled = 0;
      }
      this.unpark();
      const complete = this.remaining === 0 && this.parkedBytes === 0;
      if (this.filled < this.block.length && !complete) return;
      if (this.filled > 0) {
        const block = this.block;
        this.block = undefined;
        if (!this.consume?.(block.subarray(0, this.filled), () => this.pool.release(block))) this.end();
      }
      if (complete) this.end();
    }
  }

  private unpark(): void {
    const block = this.block as Buffer;
    while (this.parkedBytes > 0 && this.filled < block.length) {
      const first = this.parked[0] as Buffer;
      const copied = first.copy(block, this.filled);
      this.filled += copied;
      this.parkedBytes -= copied;
      if (copied === first.length) this.parked.shift();
      else this.parked[0] = first.subarray(copied);
    }
  }

  /** The body may still sit in parked bytes and blocks: only bytes that never arrived are a failure. */
  private closed(): void {
    if (this.phase === 'ended') return;
    if (this.phase !== 'head' && this.remaining === Infinity) this.remaining = 0; // a body delimited by the close
    if (this.phase === 'head' || this.remaining > 0) {
      this.fail(new TransportError('reset', 'The connection closed before the end of the download answer.', { code: 'ERR_STREAM_PREMATURE_CLOSE', origin: this.origin }));
    } else if (this.phase === 'body') {
      this.pump();
    }
  }

  /** The body went to the consumer (or it wanted no more). */
  private end(): void {
    if (this.phase === 'ended') return;
    this.finish();
    this.settle?.resolve();
  }

  private fail(error: unknown): void {
    if (this.phase === 'ended') return;
    this.failure = error;
    this.finish();
    this.settle?.reject(error);
  }

  private finish(): void {
    this.phase = 'ended';
    this.signal?.removeEventListener('abort', this.onAbort);
    this.cancelWait?.();
    if (this.block !== undefined) this.pool.release(this.block);
    this.block = undefined;
    this.parked = [];
    this.socket?.destroy();
  }
}
