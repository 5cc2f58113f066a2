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

  constructor(readonly bytes: Uint8Array) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const size = view.getUint16(16);
    this.pageSize = size === 1 ? 65536 : size;
    this.usableSize = this.pageSize - bytes[20]!;
    this.pageCount = Math.floor(bytes.byteLength / this.pageSize);
  }

  page(pageNumber: number): Uint8Array {
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > this.pageCount) {
      throw new CorruptPageError(`page ${pageNumber} is outside the file`);
    }
    const start = (pageNumber - 1) * this.pageSize;
    return this.bytes.subarray(start, start + this.pageSize);
  }
}

/** The number of cells on a b-tree page (from its header only). */
export function cellCount(file: PageFile, pageNumber: number): number {
  const page = file.page(pageNumber);
  const header = pageNumber === 1 ? 100 : 0;
  return (page[header + 3]! << 8) | page[header + 4]!;
}

/** One cell of a b-tree page: where its bytes lie, its rowid (table leaves), its overflow chain. */
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
  const page = file.page(pageNumber);
  const header = pageNumber === 1 ? 100 : 0;
  const type = page[header]!;
  const interior = type === TABLE_INTERIOR || type === INDEX_INTERIOR;
  if (!interior && type !== TABLE_LEAF && type !== INDEX_LEAF) throw new CorruptPageError(`page ${pageNumber} is not a b-tree page`);
  const count = (page[header + 3]! << 8) | page[header + 4]!;
  const pointers = header + (interior ? 12 : 8);
  const cells: Cell[] = [];
  const children: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = (page[pointers + 2 * i]! << 8) | page[pointers + 2 * i + 1]!;
    if (type === TABLE_INTERIOR) children.push(readUint32(page, start));
    else cells.push(readCell(file, page, type, start));
    if (type === INDEX_INTERIOR) children.push(readUint32(page, start));
  }
  if (interior) children.push(readUint32(page, header + 8));
  return { type, cells, children };
}

function readCell(file: PageFile, page: Uint8Array, type: number, start: number): Cell {
  let at = type === INDEX_INTERIOR ? start + 4 : start;
  const [payload, payloadLength] = readVarint(page, at);
  at += payloadLength;
  let rowid: number | bigint = 0;
  if (type === TABLE_LEAF) {
    const [value, length] = readVarint(page, at);
    rowid = typeof value === 'bigint' ? BigInt.asIntN(64, value) : value;
    at += length;
  }
  const size = Number(payload);
  const local = localPayload(file.usableSize, size, type === TABLE_LEAF);
  if (local === size) {
    if (at + size > page.length) throw new CorruptPageError('cell runs past its page');
    return { start, end: at + size, rowid, overflow: 0, overflowBytes: 0 };
  }
  const end = at + local + 4;
  if (end > page.length) throw new CorruptPageError('cell runs past its page');
  return { start, end, rowid, overflow: readUint32(page, at + local), overflowBytes: size - local };
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
export function readVarint(bytes: Uint8Array, at: number): [number | bigint, number] {
  let value = 0;
  for (let i = 0; i < 6; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) throw new CorruptPageError('varint runs past its page');
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) return [value, i + 1];
  }
  return readLongVarint(bytes, at);
}

function readLongVarint(bytes: Uint8Array, at: number): [bigint, number] {
  let value = 0n;
  for (let i = 0; i < 8; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) throw new CorruptPageError('varint runs past its page');
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (byte < 0x80) return [value, i + 1];
  }
  const last = bytes[at + 8];
  if (last === undefined) throw new CorruptPageError('varint runs past its page');
  return [(value << 8n) | BigInt(last), 9];
}

function readUint32(bytes: Uint8Array, at: number): number {
  if (at + 4 > bytes.length) throw new CorruptPageError('pointer runs past its page');
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

/** The next page of an overflow chain (0 at its end). */
export function nextOverflowPage(file: PageFile, pageNumber: number): number {
  return readUint32(file.page(pageNumber), 0);
}

export const PAGE_TYPES = { TABLE_INTERIOR, TABLE_LEAF, INDEX_INTERIOR, INDEX_LEAF } as const;
