import type { Readable } from 'node:stream';
import { CancelledError } from '../errors';
import type { B2Session } from './b2-session';
import type { BlockPool } from './download-blocks';
import type { BodyConsumer, DownloadResponse } from './download-response';
import type { VersionRef } from './download-segment';

/**
 * A download answer received through the session's HTTP client, like every other B2 call, so it
 * goes wherever that client goes: through HTTPS_PROXY, or VS Code's proxy support. Slower than
 * HttpGet (Node copies each chunk into fresh memory, and here into a pool block once more).
 */
export class ClientGet implements DownloadResponse {
  readonly contentLength: number | undefined;

  private constructor(
    private readonly body: Readable,
    readonly status: number,
    readonly headers: Record<string, string | undefined>,
    private readonly pool: BlockPool,
    private readonly signal: AbortSignal | undefined,
  ) {
    const length = Number(headers['content-length']);
    this.contentLength = headers['transfer-encoding'] === undefined && Number.isSafeInteger(length) && length >= 0 ? length : undefined;
  }

  /** Asks for the version (the `range` of it); an answer other than 2xx rejects like any failed call. */
  static async open(session: B2Session, version: VersionRef, range: string | undefined, pool: BlockPool, signal: AbortSignal | undefined): Promise<ClientGet> {
    // The caller reads the server's clock off the answer, as for a direct one.
    const response = await session.client.downloadFileById({
      ...session.args(signal, range === undefined ? undefined : { headers: { Range: range } }),
      fileId: encodeURIComponent(version.id),
      responseType: 'stream',
    });
    const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), value === undefined ? undefined : String(value)]));
    return new ClientGet(response.data as Readable, response.status, headers, pool, signal);
  }

  async readBody(consume: BodyConsumer): Promise<void> {
    const onAbort = (): void => {
      this.body.destroy(new CancelledError());
    };
    this.signal?.addEventListener('abort', onAbort, { once: true });
    let block: Buffer | undefined;
    let filled = 0;
    /** Hands the block over; whether the consumer wants more. */
    const handOver = (): boolean => {
      const full = block!;
      block = undefined;
      const more = consume(full.subarray(0, filled), () => this.pool.release(full));
      filled = 0;
      return more;
    };
    try {
      for await (const chunk of this.body) {
        for (let data = chunk as Buffer; data.length > 0; ) {
          block ??= await this.freeBlock();
          const copied = data.copy(block, filled);
          filled += copied;
          data = data.subarray(copied);
          if (filled === block.length && !handOver()) return;
        }
      }
      if (block !== undefined && filled > 0) handOver();
    } finally {
      this.signal?.removeEventListener('abort', onAbort);
      if (block !== undefined) this.pool.release(block);
      this.body.destroy();
    }
  }

  destroy(error: unknown = new CancelledError()): void {
    this.body.destroy(error instanceof Error ? error : new Error(String(error)));
  }

  private freeBlock(): Promise<Buffer> {
    const block = this.pool.take();
    return block !== undefined ? Promise.resolve(block) : new Promise((resolve) => this.pool.wait(resolve));
  }
}

