import { performance } from 'node:perf_hooks';
import { Transform, type TransformCallback } from 'node:stream';

const MIN_SLICE_BYTES = 16 * 1024;
const MAX_SLICE_BYTES = 64 * 1024;
/** A slice carries about this much link time, within the bounds above. */
const SLICE_SECONDS = 0.005;
/**
 * How far the schedule may fall behind the clock before it restarts from now. Timers fire late
 * (more so on a busy machine); within this window a late grant does not cost throughput, and an
 * idle link saves no more than this for a burst.
 */
const CATCH_UP_MS = 50;

interface Waiter {
  bytes: number;
  grant: () => void;
}

/**
 * One simulated link shared by every connection of the server, both directions: a connection
 * asks for one slice at a time and waits its turn in a first-come queue. A connection asks again
 * only after its slice went through, so busy connections take turns (round robin) and a small
 * request waits behind at most one slice per busy connection.
 */
export class BandwidthLimiter {
  private rate: number | null = null;
  private readonly queue: Waiter[] = [];
  /** When the link is free for the next slice (performance.now() clock). */
  private nextFree = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(bytesPerSecond: number | null = null) {
    this.setRate(bytesPerSecond);
  }

  /** The limit, or null for none. */
  get bytesPerSecond(): number | null {
    return this.rate;
  }

  /** Changes the limit at once, also for transfers under way; null lifts it. */
  setRate(bytesPerSecond: number | null): void {
    if (bytesPerSecond !== null && !(Number.isFinite(bytesPerSecond) && bytesPerSecond >= 1)) {
      throw new RangeError(`A bandwidth must be at least 1 byte per second, not ${bytesPerSecond}`);
    }
    this.rate = bytesPerSecond;
    this.nextFree = performance.now();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pump();
  }

  /** The largest piece a connection may ask for at once; Infinity without a limit. */
  sliceBytes(): number {
    if (this.rate === null) return Infinity;
    return Math.min(MAX_SLICE_BYTES, Math.max(MIN_SLICE_BYTES, Math.round(this.rate * SLICE_SECONDS)));
  }

  /** Resolves when `bytes` (at most one slice) may cross the link; rejects if `signal` aborts first. */
  take(bytes: number, signal: AbortSignal): Promise<void> {
    if (this.rate === null) return Promise.resolve();
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        bytes,
        grant: () => {
          signal.removeEventListener('abort', abandon);
          resolve();
        },
      };
      const abandon = (): void => {
        const at = this.queue.indexOf(waiter);
        if (at !== -1) this.queue.splice(at, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', abandon, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** Grants slices in queue order as the link frees up; sleeps until then. */
  private pump(): void {
    if (this.timer !== undefined) return;
    while (this.queue.length > 0) {
      const rate = this.rate;
      const now = performance.now();
      if (rate !== null && this.nextFree > now) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, this.nextFree - now).unref();
        return;
      }
      const waiter = this.queue.shift() as Waiter;
      if (rate !== null) this.nextFree = Math.max(this.nextFree, now - CATCH_UP_MS) + (waiter.bytes * 1000) / rate;
      waiter.grant();
    }
  }
}

/** Passes a transfer's bytes through at the pace of the link. */
export type Pacer = (source: AsyncIterable<Buffer> | Iterable<Buffer>) => AsyncGenerator<Buffer>;

/** The pacer of one transfer; `signal` aborts when its connection closes, giving up its turn. */
export function pacer(limiter: BandwidthLimiter, signal: AbortSignal): Pacer {
  return async function* paced(source) {
    for await (const chunk of source) {
      for (let at = 0; at < chunk.length; ) {
        const size = Math.min(limiter.sliceBytes(), chunk.length - at);
        await limiter.take(size, signal);
        yield size === chunk.length ? chunk : chunk.subarray(at, at + size);
        at += size;
      }
    }
  };
}

/** A stream stage that passes bytes on at the pace of the link (for request bodies). */
export class PacedStream extends Transform {
  private readonly pace: Pacer;

  constructor(private readonly limiter: BandwidthLimiter, signal: AbortSignal) {
    super();
    this.pace = pacer(limiter, signal);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.limiter.bytesPerSecond === null) {
      callback(null, chunk); // the common case stays synchronous
      return;
    }
    (async () => {
      for await (const slice of this.pace([chunk])) this.push(slice);
    })().then(() => callback(), callback);
  }
}
