/**
 * Reads SQLite b-tree pages of a database file (format: sqlite.org/fileformat2.html), so that the
 * parts of a table that two files share byte for byte can be skipped without SQL. Page types and
 * cell counts come from the summary taken while the files were first read; page contents are
 * read again only where needed (interior pages, and leaves that differ).
 */
import type { DatabaseFile } from './database-file';

const TABLE_INTERIOR = 0x05;
const TABLE_LEAF = 0x0d;
const INDEX_INTERIOR = 0x02;
const INDEX_LEAF = 0x0a;

export class CorruptPageError extends Error {}

/** Per page (1-based; index 0 unused): the b-tree page type byte, the cell count, and whether a cell spills onto overflow pages. */
export interface PageSummary {
  types: Uint8Array;
  cells: Uint16Array;
  /** Answered only for pages that both files share byte for byte (the only ones asked about). */
  spills: Uint8Array;
}

export function emptySummary(pageCount: number): PageSummary {
  return { types: new Uint8Array(pageCount + 1), cells: new Uint16Array(pageCount + 1), spills: new Uint8Array(pageCount + 1) };
}

/** Offset of the b-tree page header within a page (page 1 starts with the 100-byte file header). */
export function headerOffset(pageNumber: number): number {
  return pageNumber === 1 ? 100 : 0;
}

/** Records a page's type and cell count; `page` holds its bytes from `at`. */
export function summarizePage(summary: PageSummary, pageNumber: number, page: Uint8Array, at: number): void {
  const header = at + headerOffset(pageNumber);
  summary.types[pageNumber] = page[header]!;
  summary.cells[pageNumber] = (page[header + 3]! << 8) | page[header + 4]!;
}

/**
 * Records whether any cell of a b-tree page spills onto overflow pages (reads only each cell's
 * payload size). Bytes that are no b-tree page, or make no sense, count as spilling: the pages are
 * then compared more closely, which fails safe.
 */
export function summarizeSpills(summary: PageSummary, pageNumber: number, page: Uint8Array, at: number, usableSize: number): void {
  const type = summary.types[pageNumber];
  if (type !== TABLE_LEAF && type !== INDEX_LEAF && type !== INDEX_INTERIOR) return;
  const header = at + headerOffset(pageNumber);
  const pointers = header + (type === INDEX_INTERIOR ? 12 : 8);
  const max = maxLocal(usableSize, type === TABLE_LEAF);
  const count = summary.cells[pageNumber]!;
  if (pointers + 2 * count > at + usableSize) {
    summary.spills[pageNumber] = 1;
    return;
  }
  for (let i = 0; i < count; i++) {
    const start = at + ((page[pointers + 2 * i]! << 8) | page[pointers + 2 * i + 1]!) + (type === INDEX_INTERIOR ? 4 : 0);
    if (start >= at + usableSize || payloadSizeExceeds(page, start, max)) {
      summary.spills[pageNumber] = 1;
      return;
    }
  }
}

/** Whether the varint at `at` (a payload size) is larger than `max` (or runs off the bytes). */
function payloadSizeExceeds(bytes: Uint8Array, at: number, max: number): boolean {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) return true;
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) return value > max;
  }
  return true; // four or more bytes: at least 2^28, beyond any page
}

/** A database file's pages: the summary for types and counts, the file for contents. */
export class PageFile {
  constructor(
    readonly file: DatabaseFile,
    private readonly summary: PageSummary,
  ) {}

  get pageSize(): number {
    return this.file.pageSize;
  }

  get usableSize(): number {
    return this.file.usableSize;
  }

  type(pageNumber: number): number {
    return this.summary.types[this.checked(pageNumber)]!;
  }

  cellCount(pageNumber: number): number {
    return this.summary.cells[this.checked(pageNumber)]!;
  }

  /** Whether a page both files share has cells on overflow pages. */
  spills(pageNumber: number): boolean {
    return this.summary.spills[this.checked(pageNumber)] === 1;
  }

  /** A page's bytes, in `into` if given (reused by readers going through many pages). */
  read(pageNumber: number, into?: Buffer): Buffer {
    return this.file.page(this.checked(pageNumber), into);
  }

  /** The next page of an overflow chain (0 at its end). */
  nextOverflowPage(pageNumber: number): number {
    const pointer = Buffer.alloc(4);
    this.file.readInto(pointer, (this.checked(pageNumber) - 1) * this.pageSize, 4);
    return pointer.readUInt32BE(0);
  }

  private checked(pageNumber: number): number {
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > this.file.pageCount) {
      throw new CorruptPageError(`page ${pageNumber} is outside the file`);
    }
    return pageNumber;
  }
}

/** One cell of a b-tree page: where its bytes lie in the page, its rowid (table leaves), its overflow chain. */
export interface Cell {
  start: number;
  end: number;
  rowid: number | bigint;
  /** First overflow page, 0 if the payload fits in the page. */
  overflow: number;
  /** Payload bytes stored on overflow pages. */
  overflowBytes: number;
}

export interface BtreePage {
  type: number;
  bytes: Buffer;
  cells: Cell[];
  children: number[];
}

export function readBtreePage(file: PageFile, pageNumber: number, into?: Buffer): BtreePage {
  const page = file.read(pageNumber, into);
  const header = headerOffset(pageNumber);
  const pageEnd = page.length;
  const type = page[header]!;
  const interior = type === TABLE_INTERIOR || type === INDEX_INTERIOR;
  if (!interior && type !== TABLE_LEAF && type !== INDEX_LEAF) throw new CorruptPageError(`page ${pageNumber} is not a b-tree page`);
  const count = (page[header + 3]! << 8) | page[header + 4]!;
  const pointers = header + (interior ? 12 : 8);
  const cells: Cell[] = [];
  const children: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = (page[pointers + 2 * i]! << 8) | page[pointers + 2 * i + 1]!;
    if (type === TABLE_INTERIOR) children.push(readUint32(page, start, pageEnd));
    else cells.push(readCell(page, file.usableSize, type, start, pageEnd));
    if (type === INDEX_INTERIOR) children.push(readUint32(page, start, pageEnd));
  }
  if (interior) children.push(readUint32(page, header + 8, pageEnd));
  return { type, bytes: page, cells, children };
}

function readCell(bytes: Uint8Array, usableSize: number, type: number, start: number, pageEnd: number): Cell {
  let at = type === INDEX_INTERIOR ? start + 4 : start;
  const size = Number(readVarint(bytes, at));
  at = varintEnd(bytes, at);
  let rowid: number | bigint = 0;
  if (type === TABLE_LEAF) {
    const value = readVarint(bytes, at);
    rowid = typeof value === 'bigint' ? BigInt.asIntN(64, value) : value;
    at = varintEnd(bytes, at);
  }
  const local = localPayload(usableSize, size, type === TABLE_LEAF);
  const end = local === size ? at + size : at + local + 4;
  if (end > pageEnd) throw new CorruptPageError('cell runs past its page');
  if (local === size) return { start, end, rowid, overflow: 0, overflowBytes: 0 };
  return { start, end, rowid, overflow: readUint32(bytes, at + local, pageEnd), overflowBytes: size - local };
}

/** The largest payload kept whole in a page. */
function maxLocal(usable: number, tableLeaf: boolean): number {
  return tableLeaf ? usable - 35 : Math.floor(((usable - 12) * 64) / 255) - 23;
}

/** How much of a payload of `size` bytes is stored in the page itself. */
function localPayload(usable: number, size: number, tableLeaf: boolean): number {
  const max = maxLocal(usable, tableLeaf);
  if (size <= max) return size;
  const min = Math.floor(((usable - 12) * 32) / 255) - 23;
  const local = min + ((size - min) % (usable - 4));
  return local <= max ? local : min;
}

/** A varint as a number, or a bigint when it may exceed 2^53. */
function readVarint(bytes: Uint8Array, at: number): number | bigint {
  let value = 0;
  for (let i = 0; i < 6; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) throw new CorruptPageError('varint runs past its page');
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) return value;
  }
  return readLongVarint(bytes, at);
}

/** Where the varint at `at` ends (it has at most 9 bytes). */
function varintEnd(bytes: Uint8Array, at: number): number {
  for (let i = 0; i < 8; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) throw new CorruptPageError('varint runs past its page');
    if (byte < 0x80) return at + i + 1;
  }
  return at + 9;
}

function readLongVarint(bytes: Uint8Array, at: number): bigint {
  let value = 0n;
  for (let i = 0; i < 8; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) throw new CorruptPageError('varint runs past its page');
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (byte < 0x80) return value;
  }
  const last = bytes[at + 8];
  if (last === undefined) throw new CorruptPageError('varint runs past its page');
  return (value << 8n) | BigInt(last);
}

function readUint32(bytes: Uint8Array, at: number, end: number): number {
  if (at + 4 > end) throw new CorruptPageError('pointer runs past its page');
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

export const PAGE_TYPES = { TABLE_INTERIOR, TABLE_LEAF, INDEX_INTERIOR, INDEX_LEAF } as const;
