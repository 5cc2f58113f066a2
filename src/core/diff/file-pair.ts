import { open, type FileHandle } from 'node:fs/promises';

/** Both database files, each read once, and which of their pages differ. */
export interface FilePair {
  a: Buffer;
  /** B's bytes; the very Buffer `a` when the files are equal, so B is never held twice. */
  b: Buffer;
  /** The two files hold the same bytes. */
  same: boolean;
  /** Whether page `pageNumber` (1-based, in A's page size) differs, or lies beyond the end of either file. */
  pageDiffers(pageNumber: number): boolean;
}

// A multiple of every SQLite page size, so that chunks hold whole pages.
const CHUNK = 8 << 20;

/**
 * Reads A and B chunk by chunk, comparing page by page as it goes. B goes into a small reused
 * buffer until the first difference (its equal prefix is then copied from A), so a pair of equal
 * files costs one file's memory. Both are marked as rollback-journal databases: a WAL-mode file
 * read on its own (as sql.js does) would otherwise not open; the WAL file, if any, is not compared.
 */
export async function readFilePair(aPath: string, bPath: string): Promise<FilePair> {
  const handleA = await open(aPath, 'r');
  try {
    const handleB = await open(bPath, 'r');
    try {
      return await compareWhileReading(handleA, handleB);
    } finally {
      await handleB.close();
    }
  } finally {
    await handleA.close();
  }
}

async function compareWhileReading(handleA: FileHandle, handleB: FileHandle): Promise<FilePair> {
  const [sizeA, sizeB] = (await Promise.all([handleA.stat(), handleB.stat()])).map((s) => s.size) as [number, number];
  const a = Buffer.allocUnsafeSlow(sizeA);
  let b = sizeA === sizeB ? undefined : Buffer.allocUnsafeSlow(sizeB);
  const chunkB = b === undefined ? Buffer.allocUnsafeSlow(Math.min(CHUNK, sizeB)) : undefined;
  // Any page size works for finding equal files; a corrupt one just leaves every page marked as differing.
  const pageSize = (sizeA >= 100 ? validPageSize(await readHeader(handleA)) : undefined) ?? CHUNK;
  const differing = new Uint8Array(Math.ceil(Math.max(sizeA, sizeB) / pageSize) + 1);
  let lengthA = 0;
  let lengthB = 0;
  for (let at = 0; at < Math.max(sizeA, sizeB); at += CHUNK) {
    const intoB = b ?? chunkB!;
    const [readA, readB] = await Promise.all([readChunk(handleA, a, at, at), readChunk(handleB, intoB, b ? at : 0, at)]);
    lengthA += readA;
    lengthB += readB;
    if (at === 0) {
      markRollbackJournal(a);
      markRollbackJournal(intoB);
    }
    const chunkA = a.subarray(at, at + readA);
    const chunkOfB = intoB.subarray(b ? at : 0, (b ? at : 0) + readB);
    const anyDiffers = markDifferingPages(chunkA, chunkOfB, at / pageSize, pageSize, differing);
    if (b === undefined && anyDiffers) {
      b = Buffer.allocUnsafeSlow(sizeB);
      a.copy(b, 0, 0, at);
      chunkOfB.copy(b, at);
    }
  }
  if (b === undefined) {
    const bytes = a.subarray(0, lengthA);
    return { a: bytes, b: bytes, same: true, pageDiffers: () => false };
  }
  if (pageSize === CHUNK) differing.fill(1);
  return { a: a.subarray(0, lengthA), b: b.subarray(0, lengthB), same: false, pageDiffers: (n) => n >= differing.length || differing[n] === 1 };
}

/** Marks the pages of two chunks starting at page index `firstIndex` that differ; whether any did. */
function markDifferingPages(chunkA: Buffer, chunkB: Buffer, firstIndex: number, pageSize: number, differing: Uint8Array): boolean {
  let any = false;
  const length = Math.max(chunkA.length, chunkB.length);
  for (let start = 0, page = firstIndex + 1; start < length; start += pageSize, page++) {
    const end = start + pageSize;
    if (end > chunkA.length || end > chunkB.length || chunkA.compare(chunkB, start, end, start, end) !== 0) {
      differing[page] = 1;
      any = true;
    }
  }
  return any;
}

/** Reads up to one chunk of the file from `position` into `into` at `offset`; the bytes read. */
async function readChunk(handle: FileHandle, into: Buffer, offset: number, position: number): Promise<number> {
  const wanted = Math.min(CHUNK, into.length - offset);
  let done = 0;
  while (done < wanted) {
    const { bytesRead } = await handle.read(into, offset + done, wanted - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

function markRollbackJournal(bytes: Buffer): void {
  if (bytes.length >= 100 && (bytes[18] === 2 || bytes[19] === 2)) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
}

async function readHeader(handle: FileHandle): Promise<Buffer> {
  const header = Buffer.alloc(100);
  await handle.read(header, 0, 100, 0);
  return header;
}

function validPageSize(header: Buffer): number | undefined {
  const size = header.readUInt16BE(16) === 1 ? 65536 : header.readUInt16BE(16);
  return size >= 512 && (size & (size - 1)) === 0 ? size : undefined;
}
