import type { BlockPool } from './download-blocks';

/**
 * Takes the body in file order: `bytes` is a view of a pool block, which must be given back with
 * `release()` once written. Returns false once it wants no more.
 */
export type BodyConsumer = (bytes: Buffer, release: () => void) => boolean;

/** A download answer whose head is in; its body is read block by block. */
export interface DownloadResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  /** Undefined when the body is not delimited by Content-Length. */
  contentLength: number | undefined;
  /**
   * Feeds the body to `consume` block by block. Resolves once the whole body went to it, or it
   * asked for no more (the connection is then dropped); rejects on a failure of the connection.
   */
  readBody(consume: BodyConsumer): Promise<void>;
  /** Drops the connection; a pending `readBody` rejects with `error`. */
  destroy(error?: unknown): void;
}

/** The body as one buffer, up to about `maxBytes` (error answers). */
export async function readSmallBody(response: DownloadResponse, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  await response.readBody((bytes, release) => {
    chunks.push(Buffer.from(bytes));
    size += bytes.length;
    release();
    return size < maxBytes;
  });
  return Buffer.concat(chunks);
}

/**
 * How download answers arrive: into the blocks of `pool`, over connections of their own (`direct`:
 * fast, straight to the server) or through the session's HTTP client (which honours proxies).
 */
export interface BodyTransport {
  pool: BlockPool;
  via: 'direct' | 'client' | 'undici';
  /** A direct connection that receives nothing for this long, while data is wanted, is dropped (and resumed). */
  idleTimeoutMs: number;
}
