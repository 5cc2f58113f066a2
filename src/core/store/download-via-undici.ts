import type { Dispatcher } from 'undici';
import { CancelledError } from '../errors';
import type { BlockPool } from './download-blocks';
import type { BodyConsumer, DownloadResponse } from './download-response';

/** Bench contender: a download answer through undici's dispatcher, copied into pool blocks without streams. */
export class UndiciGet implements DownloadResponse {
  status = 0;
  headers: Record<string, string | undefined> = {};
  contentLength: number | undefined;
  private controller?: Dispatcher.DispatchController;
  private consume?: BodyConsumer;
  private block?: Buffer;
  private filled = 0;
  /** Bytes received while no block was free. */
  private waiting: Buffer[] = [];
  private cancelWait?: () => void;
  private ended = false;
  private finished = false;
  private failure?: unknown;
  private settle?: { resolve: () => void; reject: (error: unknown) => void };

  private constructor(private readonly pool: BlockPool) {}

  static open(dispatcher: Dispatcher, url: URL, headers: Record<string, string>, pool: BlockPool, signal: AbortSignal | undefined): Promise<UndiciGet> {
    const get = new UndiciGet(pool);
    return new Promise((resolve, reject) => {
      get.settle = { resolve: () => resolve(get), reject };
      const onAbort = (): void => get.destroy(new CancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });
      dispatcher.dispatch({ origin: url.origin, path: `${url.pathname}${url.search}`, method: 'GET', headers }, {
        onRequestStart: (controller) => {
          get.controller = controller;
        },
        onResponseStart: (controller, status, responseHeaders) => {
          get.status = status;
          get.headers = Object.fromEntries(Object.entries(responseHeaders).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
          const length = Number(get.headers['content-length']);
          get.contentLength = get.headers['transfer-encoding'] === undefined && Number.isSafeInteger(length) ? length : undefined;
          controller.pause();
          get.settle?.resolve();
        },
        onResponseData: (_controller, chunk) => get.received(chunk),
        onResponseEnd: () => {
          get.ended = true;
          get.pump();
        },
        onResponseError: (_controller, error) => {
          signal?.removeEventListener('abort', onAbort);
          get.fail(error);
        },
      });
    });
  }

  readBody(consume: BodyConsumer): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.consume = consume;
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      this.controller?.resume();
      this.pump();
    });
  }

  destroy(error: unknown = new CancelledError()): void {
    this.abortLater();
    this.fail(error);
  }

  /** Aborting from inside one of undici's callbacks throws there: it waits a turn. */
  private abortLater(): void {
    const controller = this.controller;
    queueMicrotask(() => {
      if (controller && !controller.aborted) controller.abort(new CancelledError());
    });
  }

  private received(chunk: Buffer): void {
    if (this.finished) return;
    this.waiting.push(chunk);
    this.pump();
  }

  private pump(): void {
    while (!this.finished && this.consume) {
      if (this.block === undefined) {
        if (this.cancelWait) return;
        const block = this.pool.take();
        if (!block) {
          this.controller?.pause();
          this.cancelWait = this.pool.wait((given) => {
            this.cancelWait = undefined;
            this.block = given;
            this.filled = 0;
            this.controller?.resume();
            this.pump();
          });
          return;
        }
        this.block = block;
        this.filled = 0;
      }
      while (this.waiting.length > 0 && this.filled < this.block.length) {
        const first = this.waiting[0] as Buffer;
        const copied = first.copy(this.block, this.filled);
        this.filled += copied;
        if (copied === first.length) this.waiting.shift();
        else this.waiting[0] = first.subarray(copied);
      }
      const complete = this.ended && this.waiting.length === 0;
      if (this.filled < this.block.length && !complete) return;
      const block = this.block;
      this.block = undefined;
      const more = this.filled === 0 || this.consume(block.subarray(0, this.filled), () => this.pool.release(block));
      if (this.filled === 0) this.pool.release(block);
      if (!more || complete) {
        if (!more) this.abortLater();
        this.finish();
        this.settle?.resolve();
        return;
      }
    }
  }

  private fail(error: unknown): void {
    if (this.finished) return;
    this.failure = error;
    this.finish();
    this.settle?.reject(error);
  }

  private finish(): void {
    this.finished = true;
    this.cancelWait?.();
    if (this.block) this.pool.release(this.block);
    this.block = undefined;
    this.waiting = [];
  }
}
