import { closeSync, fstatSync, openSync, read, readSync } from 'node:fs';
import { BadInputError } from '../../errors';

/**
 * A database file read on demand, never whole: both our b-tree walk and sql.js read it through
 * here, a page at a time, into reused memory. Fresh memory is what costs when diffing big files
 * (a 100 MB file held in memory is 100 MB of page faults; the same file read through a reused
 * buffer is not), so the differ holds neither file.
 *
 * Every read shows the file as a rollback-journal database: a WAL-mode file read on its own (as
 * sql.js does) would otherwise not open; a WAL file beside it, if any, is not read.
 */
export class DatabaseFile {
  readonly size: number;
  readonly pageSize: number;
  readonly usableSize: number;
  readonly pageCount: number;
  private readonly modified: number;
  private scratch = Buffer.allocUnsafeSlow(BLOCK_SIZE);
  /** Recently read blocks, least recently used first. */
  private readonly blocks = new Map<number, Buffer>();

  private constructor(
    /** How errors name the file (a label such as "app.db@v3", or its path). */
    readonly name: string,
    private readonly fd: number,
  ) {
    const stat = fstatSync(fd);
    this.size = stat.size;
    this.modified = stat.mtimeMs;
    const header = Buffer.alloc(100);
    readSync(fd, header, 0, header.length, 0);
    const size = header.readUInt16BE(16);
    this.pageSize = size === 1 ? 65536 : size;
    this.usableSize = this.pageSize - header[20]!;
    this.pageCount = Math.floor(this.size / this.pageSize);
    if ((this.pageSize & (this.pageSize - 1)) !== 0 || this.pageSize < 512 || this.usableSize < 480) {
      closeSync(fd);
      throw new BadInputError(
        `${name} is not a readable SQLite database (its header gives a page size of ${size} with ${header[20]} bytes reserved).`,
        'Restore it from a backup or download it again.',
      );
    }
  }

  /** Opens a file that assertSqliteFile accepted. */
  static open(path: string, name = path): DatabaseFile {
    return new DatabaseFile(name, openSync(path, 'r'));
  }

  /** Reads `length` bytes from `position` into `into` (at its start); the bytes read. */
  readInto(into: Uint8Array, position: number, length: number): number {
    const block = Math.floor(position / BLOCK_SIZE);
    let done: number;
    if (length <= BLOCK_SIZE && position + length <= (block + 1) * BLOCK_SIZE) {
      const bytes = this.block(block);
      const from = position - block * BLOCK_SIZE;
      done = Math.max(0, Math.min(length, bytes.length - from));
      into.set(bytes.subarray(from, from + done));
    } else {
      done = this.readFromDisk(into, position, length);
    }
    markRollbackJournal(into, position, done);
    return done;
  }

  /**
   * A block of the file from the cache, read if missing. Pages are asked for in key order, and
   * neighbours on disk tend to be asked for soon: one read serves several of them.
   */
  private block(index: number): Uint8Array {
    let buffer = this.blocks.get(index);
    if (buffer !== undefined) {
      this.blocks.delete(index); // and set again below: the Map's order is the order of use
    } else {
      const oldest = this.blocks.size < CACHED_BLOCKS ? undefined : this.blocks.entries().next().value;
      if (oldest !== undefined) this.blocks.delete(oldest[0]);
      buffer = oldest?.[1] ?? Buffer.allocUnsafeSlow(BLOCK_SIZE);
      this.readFromDisk(buffer, index * BLOCK_SIZE, BLOCK_SIZE);
    }
    this.blocks.set(index, buffer);
    return buffer.subarray(0, Math.max(0, Math.min(BLOCK_SIZE, this.size - index * BLOCK_SIZE)));
  }

  private readFromDisk(into: Uint8Array, position: number, length: number): number {
    let done = 0;
    while (done < length) {
      const bytesRead = readSync(this.fd, into, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  }

  /** Like readInto, without blocking: for reading the whole file while other work goes on. */
  async readIntoAsync(into: Uint8Array, position: number, length: number): Promise<number> {
    let done = 0;
    while (done < length) {
      const bytesRead = await new Promise<number>((resolve, reject) =>
        read(this.fd, into, done, length - done, position + done, (error, n) => (error ? reject(error) : resolve(n))),
      );
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    markRollbackJournal(into, position, done);
    return done;
  }

  /** A page's bytes (1-based page numbers), in `into` or else a new buffer. */
  page(pageNumber: number, into?: Buffer): Buffer {
    const bytes = into ?? Buffer.allocUnsafe(this.pageSize);
    const read = this.readInto(bytes, (pageNumber - 1) * this.pageSize, this.pageSize);
    if (read < this.pageSize) throw new BadInputError(`${this.name} ends inside page ${pageNumber}.`, FILE_CHANGED_HINT);
    return bytes;
  }

  /**
   * What sql.js stores as the file's contents. sql.js (its Emscripten file system, MEMFS) keeps
   * `data.slice()` of what it is given and reads with `contents.subarray(start, end)`, copying the
   * bytes at once; so a view of one reused buffer, filled on demand, serves every read.
   */
  asSqlJsData(): Uint8Array {
    const contents = {
      length: this.size,
      subarray: (start: number, end: number): Uint8Array => {
        const length = Math.min(end, this.size) - start;
        if (length > this.scratch.length) this.scratch = Buffer.allocUnsafeSlow(length);
        return this.scratch.subarray(0, this.readInto(this.scratch, start, length));
      },
      set: (): never => {
        throw new Error(`b2m opens ${this.name} read-only for diffing; sql.js tried to write to it.`);
      },
    };
    return { length: this.size, subarray: () => contents, slice: () => contents } as unknown as Uint8Array;
  }

  /** Throws if the file changed since it was opened (its reads could then disagree with each other). */
  assertUnchanged(): void {
    const stat = fstatSync(this.fd);
    if (stat.size !== this.size || stat.mtimeMs !== this.modified) {
      throw new BadInputError(`${this.name} changed while it was being compared.`, FILE_CHANGED_HINT);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Blocks are read and cached whole: a multiple of every page size. */
const BLOCK_SIZE = 1 << 16;
const CACHED_BLOCKS = 128;

const FILE_CHANGED_HINT = 'Run the diff again once nothing writes to the database.';

/** Shows bytes 18 and 19 of the file header (file format versions) as 1, rollback journal. */
function markRollbackJournal(bytes: Uint8Array, position: number, length: number): void {
  if (position > 18 || position + length < 20) return;
  if (bytes[18 - position] === 2 || bytes[19 - position] === 2) {
    bytes[18 - position] = 1;
    bytes[19 - position] = 1;
  }
}
