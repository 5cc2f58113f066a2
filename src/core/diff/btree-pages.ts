/**
 * Reads SQLite b-tree pages straight from a database file's bytes (format: sqlite.org/fileformat2.html),
 * so that the parts of a table that two files share byte for byte can be skipped without SQL.
 */

const TABLE_INTERIOR = 0x05;
const TABLE_LEAF = 0x0d;
const INDEX_INTERIOR = 0x02;
const INDEX_LEAF = 0x0a;

export class CorruptPageError extends Error {}

export class PageFile {
  readonly pageSize: number;
  readonly usableSize: number;
  readonly pageCount: number;

  constructor(readonly bytes: Buffer) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const size = view.getUint16(16);
    this.pageSize = size === 1 ? 65536 : size;
    this.usableSize = this.pageSize - bytes[20]!;
    this.pageCount = Math.floor(bytes.byteLength / this.pageSize);
  }

  /** Where a page starts in the file. */
  offset(pageNumber: number): number {
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > this.pageCount) {
      throw new CorruptPageError(`page ${pageNumber} is outside the file`);
    }
    return (pageNumber - 1) * this.pageSize;
  }

  /** Offset of the b-tree page header (page 1 starts with the 100-byte file header). */
  header(pageNumber: number): number {
    return this.offset(pageNumber) + (pageNumber === 1 ? 100 : 0);
  }
}

/** The number of cells on a b-tree page (from its header only). */
export function cellCount(file: PageFile, pageNumber: number): number {
  const header = file.header(pageNumber);
  return (file.bytes[header + 3]! << 8) | file.bytes[header + 4]!;
}

/** The b-tree page type byte. */
export function pageType(file: PageFile, pageNumber: number): number {
  return file.bytes[file.header(pageNumber)]!;
}

/** Whether any cell of a page spills onto overflow pages (reads only each cell's payload size). */
export function hasOverflowCells(file: PageFile, pageNumber: number): boolean {
  const page = file.bytes;
  const header = file.header(pageNumber);
  const base = file.offset(pageNumber);
  const type = page[header]!;
  const interior = type === TABLE_INTERIOR || type === INDEX_INTERIOR;
  if (type === TABLE_INTERIOR) return false;
  const pointers = header + (interior ? 12 : 8);
  const max = type === TABLE_LEAF ? file.usableSize - 35 : Math.floor(((file.usableSize - 12) * 64) / 255) - 23;
  for (let i = cellCount(file, pageNumber) - 1; i >= 0; i--) {
    const start = base + ((page[pointers + 2 * i]! << 8) | page[pointers + 2 * i + 1]!);
    if (readVarint(page, type === INDEX_INTERIOR ? start + 4 : start) > max) return true;
  }
  return false;
}

/** One cell of a b-tree page: where its bytes lie in the file, its rowid (table leaves), its overflow chain. */
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
  cells: Cell[];
  children: number[];
}

export function readBtreePage(file: PageFile, pageNumber: number): BtreePage {
  const page = file.bytes;
  const header = file.header(pageNumber);
  const base = file.offset(pageNumber);
  const pageEnd = base + file.pageSize;
  const type = page[header]!;
  const interior = type === TABLE_INTERIOR || type === INDEX_INTERIOR;
  if (!interior && type !== TABLE_LEAF && type !== INDEX_LEAF) throw new CorruptPageError(`page ${pageNumber} is not a b-tree page`);
  const count = (page[header + 3]! << 8) | page[header + 4]!;
  const pointers = header + (interior ? 12 : 8);
  const cells: Cell[] = [];
  const children: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = base + ((page[pointers + 2 * i]! << 8) | page[pointers + 2 * i + 1]!);
    if (type === TABLE_INTERIOR) children.push(readUint32(page, start, pageEnd));
    else cells.push(readCell(file, type, start, pageEnd));
    if (type === INDEX_INTERIOR) children.push(readUint32(page, start, pageEnd));
  }
  if (interior) children.push(readUint32(page, header + 8, pageEnd));
  return { type, cells, children };
}

function readCell(file: PageFile, type: number, start: number, pageEnd: number): Cell {
  const bytes = file.bytes;
  let at = type === INDEX_INTERIOR ? start + 4 : start;
  const size = Number(readVarint(bytes, at));
  at = varintEnd(bytes, at);
  let rowid: number | bigint = 0;
  if (type === TABLE_LEAF) {
    const value = readVarint(bytes, at);
    rowid = typeof value === 'bigint' ? BigInt.asIntN(64, value) : value;
    at = varintEnd(bytes, at);
  }
  const local = localPayload(file.usableSize, size, type === TABLE_LEAF);
  const end = local === size ? at + size : at + local + 4;
  if (end > pageEnd) throw new CorruptPageError('cell runs past its page');
  if (local === size) return { start, end, rowid, overflow: 0, overflowBytes: 0 };
  return { start, end, rowid, overflow: readUint32(bytes, at + local, pageEnd), overflowBytes: size - local };
}

/** How much of a payload of `size` bytes is stored in the page itself. */
function localPayload(usable: number, size: number, tableLeaf: boolean): number {
  const max = tableLeaf ? usable - 35 : Math.floor(((usable - 12) * 64) / 255) - 23;
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

/** The next page of an overflow chain (0 at its end). */
export function nextOverflowPage(file: PageFile, pageNumber: number): number {
  const start = file.offset(pageNumber);
  return readUint32(file.bytes, start, start + file.pageSize);
}

export const PAGE_TYPES = { TABLE_INTERIOR, TABLE_LEAF, INDEX_INTERIOR, INDEX_LEAF } as const;
