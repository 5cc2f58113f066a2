import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Passes bytes through while hashing (SHA-1) and counting them. */
export class Sha1Meter extends Transform {
  private readonly hash: Hash = createHash('sha1');
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  /** The hex digest; call once, after the stream ended. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

const SHA1_HEX_LENGTH = 40;

/** For `X-Bz-Content-Sha1: hex_digits_at_end`: passes all but the last 40 bytes, which it keeps. */
export class TrailingSha1Splitter extends Transform {
  private tail = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const joined = this.tail.length === 0 ? chunk : Buffer.concat([this.tail, chunk]);
    const keep = Math.min(SHA1_HEX_LENGTH, joined.length);
    this.tail = Buffer.from(joined.subarray(joined.length - keep));
    callback(null, keep === joined.length ? undefined : joined.subarray(0, joined.length - keep));
  }

  /** The 40 characters that ended the body. */
  trailer(): string {
    return this.tail.toString('latin1');
  }
}

/** Destroys the connection once `afterBytes` bytes have passed (injected upload failures). */
export class ConnectionCutter extends Transform {
  private seen = 0;

  constructor(
    private readonly afterBytes: number,
    private readonly cut: () => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen >= this.afterBytes) {
      this.cut();
      callback(new Error('Injected fault: connection cut during upload'));
      return;
    }
    callback(null, chunk);
  }
}
