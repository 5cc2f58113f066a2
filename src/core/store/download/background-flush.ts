import type { FileHandle } from 'node:fs/promises';

/**
 * Writes a download's pages to disk while it goes on. The kernel would leave them all dirty for the
 * fsync before the rename (up to ~30 s or 10 % of RAM), making that fsync wait for the whole file;
 * flushed along the way, the disk works in parallel with the network and the final fsync is short.
 * A failed flush is ignored here: the final fsync reports it.
 */
export class BackgroundFlush {
  private unflushed = 0;
  private flushing?: Promise<void>;

  /** Starts a flush once `every` bytes were written since the last one began. */
  constructor(
    private readonly file: FileHandle,
    private readonly every: number,
  ) {}

  written(bytes: number): void {
    this.unflushed += bytes;
    if (this.flushing !== undefined || this.unflushed < this.every) return;
    this.unflushed = 0;
    this.flushing = this.file
      .datasync()
      .catch(() => undefined)
      .finally(() => {
        this.flushing = undefined;
      });
  }

  /** Resolves once no flush is in flight. */
  async idle(): Promise<void> {
    await this.flushing;
  }
}
