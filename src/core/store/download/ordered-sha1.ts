import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

const READ_BACK_BYTES = 4 * 1024 * 1024;

/**
 * The SHA-1 of a file whose segments arrive in parallel, hashed strictly in order with bounded
 * memory. A chunk that arrives exactly at the hashed frontier is hashed at once (so a single
 * stream is never read back); bytes that landed on disk beyond the frontier are read back from
 * the file, one buffer at a time, once every byte before them is on disk.
 */
export class OrderedSha1 {
  private readonly hash = createHash('sha1');
  private readonly buffer = Buffer.allocUnsafe(READ_BACK_BYTES);
  private hashed = 0;
  private reading?: Promise<void>;
  private failure?: unknown;

  /** `onDisk()` is the length of the file's prefix that is completely written. */
  constructor(
    private readonly file: FileHandle,
    private readonly onDisk: () => number,
  ) {}

  /** A chunk received for `position`, not necessarily written yet. */
  received(position: number, chunk: Buffer): void {
    if (this.reading === undefined && position === this.hashed) {
      this.hash.update(chunk);
      this.hashed += chunk.length;
    }
  }

  /** Something was written: hash what became readable in order. */
  written(): void {
    if (this.reading !== undefined || this.failure !== undefined || this.onDisk() <= this.hashed) return;
    this.reading = this.readBack()
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => {
        this.reading = undefined;
      });
  }

  /** The SHA-1 (hex) of the prefix on disk; call once every write is done. */
  async digest(): Promise<string> {
    for (;;) {
      await this.reading;
      if (this.failure !== undefined) throw this.failure;
      if (this.hashed >= this.onDisk()) return this.hash.digest('hex');
      this.written();
    }
  }

  /** Resolves once no read of the file is in flight (before closing it after a failure). */
  async idle(): Promise<void> {
    while (this.reading) await this.reading;
  }

  private async readBack(): Promise<void> {
    for (let end = this.onDisk(); this.hashed < end; end = this.onDisk()) {
      const { bytesRead } = await this.file.read(this.buffer, 0, Math.min(this.buffer.length, end - this.hashed), this.hashed);
      if (bytesRead === 0) throw new Error(`The temporary file ends at byte ${this.hashed}, before the ${end} bytes written to it.`);
      this.hash.update(this.buffer.subarray(0, bytesRead));
      this.hashed += bytesRead;
    }
  }
}
