import type { BodyTransport } from './download-response';
import type { SegmentPlan } from './ranged-download';

/** Socket reads land in blocks of this size; a full block is one write to the file... */
const BLOCK_BYTES = 512 * 1024;
/** ...and each stream may have this many received or being written before its socket waits. */
const BLOCKS_PER_STREAM = 4;

/**
 * The buffers a download receives into, reused from block to block. Fresh memory is costly to
 * touch (every page faults in), so a download allocates at most `limit` blocks, each once, and
 * the memory it holds does not grow with the file. A connection that finds none free waits
 * (pausing its socket) until one comes back.
 */
export class BlockPool {
  private readonly free: Buffer[] = [];
  private readonly waiting: Array<(block: Buffer) => void> = [];
  private allocated = 0;

  constructor(
    readonly blockSize: number,
    private readonly limit: number,
  ) {}

  /** A free block, or undefined when all `limit` are in use. */
  take(): Buffer | undefined {
    const block = this.free.pop();
    if (block !== undefined || this.allocated >= this.limit) return block;
    this.allocated++;
    return Buffer.allocUnsafe(this.blockSize);
  }

  /** Calls `receive` with the next block given back, unless `cancel()` is called first. */
  wait(receive: (block: Buffer) => void): () => void {
    this.waiting.push(receive);
    return () => {
      const index = this.waiting.indexOf(receive);
      if (index >= 0) this.waiting.splice(index, 1);
    };
  }

  /** Gives a block back, to the first waiter if any. */
  release(block: Buffer): void {
    const receive = this.waiting.shift();
    if (receive) receive(block);
    else this.free.push(block);
  }
}

/** How the bodies of one download arrive: into blocks shared by its `plan.concurrency` streams. */
export function bodyTransport(plan: SegmentPlan): BodyTransport {
  return { pool: new BlockPool(BLOCK_BYTES, plan.concurrency * BLOCKS_PER_STREAM), direct: plan.direct, idleTimeoutMs: plan.idleTimeoutMs };
}
