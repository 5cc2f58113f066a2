import { PageFile, emptySummary, summarizePage, summarizeSpills, type PageSummary } from './btree-pages';
import type { DatabaseFile } from './database-file';

/** Two database files read once through, with which of their pages differ and a summary of each page. */
export interface FilePair {
  a: PageFile;
  b: PageFile;
  /** The two files hold the same bytes. */
  same: boolean;
  /** Whether page `pageNumber` (1-based, in A's page size) differs, or lies beyond the end of either file. */
  pageDiffers(pageNumber: number): boolean;
}

// A multiple of every SQLite page size, so that chunks hold whole pages; small enough to stay in cache.
const CHUNK = 1 << 20;

/**
 * Reads A and B side by side, a chunk at a time into two reused buffers, comparing them page by
 * page and summarizing each page (type, cell count, overflow) for the b-tree walk that follows.
 */
export async function scanFilePair(fileA: DatabaseFile, fileB: DatabaseFile): Promise<FilePair> {
  const pageSize = fileA.pageSize;
  const summaryA = emptySummary(fileA.pageCount);
  const summaryB = emptySummary(fileB.pageCount);
  const differing = new Uint8Array(Math.ceil(Math.max(fileA.size, fileB.size) / pageSize) + 1);
  const chunkA = Buffer.allocUnsafeSlow(CHUNK);
  const chunkB = Buffer.allocUnsafeSlow(CHUNK);
  let same = fileA.size === fileB.size;
  for (let at = 0; at < Math.max(fileA.size, fileB.size); at += CHUNK) {
    const [readA, readB] = await Promise.all([fileA.readIntoAsync(chunkA, at, CHUNK), fileB.readIntoAsync(chunkB, at, CHUNK)]);
    summarize(chunkA, readA, at, fileA, summaryA);
    summarize(chunkB, readB, at, fileB, summaryB);
    const firstPage = at / pageSize + 1;
    for (let start = 0, page = firstPage; start < Math.max(readA, readB); start += pageSize, page++) {
      const end = start + pageSize;
      if (end > readA || end > readB || chunkA.compare(chunkB, start, end, start, end) !== 0) {
        differing[page] = 1;
        same = false;
      } else if (fileA.pageSize === fileB.pageSize) {
        summarizeSpills(summaryA, page, chunkA, start, fileA.usableSize);
      }
    }
  }
  return {
    a: new PageFile(fileA, summaryA),
    b: new PageFile(fileB, summaryB),
    same,
    pageDiffers: (n) => n >= differing.length || differing[n] === 1,
  };
}

function summarize(chunk: Buffer, length: number, at: number, file: DatabaseFile, summary: PageSummary): void {
  const firstPage = at / file.pageSize + 1;
  for (let start = 0, page = firstPage; start + file.pageSize <= length; start += file.pageSize, page++) {
    summarizePage(summary, page, chunk, start);
  }
}
