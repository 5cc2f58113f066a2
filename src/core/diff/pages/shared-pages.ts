import { CorruptPageError, PAGE_TYPES, PageFile, readBtreePage, type BtreePage, type Cell } from './btree-pages';

export type Rowid = number | bigint;

/**
 * What comparing a table's b-tree pages in two files tells: the whole table is the same, or (rowid
 * tables) which rows may differ — every row outside those lists is stored byte for byte the same
 * in both files under the same rowid, so it is unchanged — or nothing (compare every row).
 */
export type PageComparison =
  | { kind: 'identical'; rows: number }
  | { kind: 'rowids'; rowsA: number; rowids: RowidChanges }
  | { kind: 'unknown' };

/** Rowids, each list in ascending order. */
export interface RowidChanges {
  /** Only in A. */
  onlyA: Rowid[];
  /** Only in B. */
  onlyB: Rowid[];
  /** In both, stored with different bytes. */
  changed: Rowid[];
}

/** The pages of two database files, and which page numbers hold different bytes in them. */
export interface PagePair {
  a: PageFile;
  b: PageFile;
  /** The two files are byte for byte equal (then only rows are counted). */
  same: boolean;
  pageDiffers(pageNumber: number): boolean;
}

export function comparePages(pages: PagePair, rootA: number, rootB: number, withoutRowid: boolean): PageComparison {
  const { a, b } = pages;
  if (a.usableSize !== b.usableSize || a.pageSize !== b.pageSize) return { kind: 'unknown' };
  try {
    if (pages.same && rootA === rootB) {
      return { kind: 'identical', rows: cellsOn(a, treePages(a, rootA, withoutRowid ? 'all' : 'leaves')) };
    }
    return withoutRowid ? compareIndexTrees(pages, rootA, rootB) : compareTableTrees(pages, rootA, rootB);
  } catch (e) {
    if (e instanceof CorruptPageError) return { kind: 'unknown' };
    throw e;
  }
}

function compareTableTrees(pages: PagePair, rootA: number, rootB: number): PageComparison {
  const leavesA = treePages(pages.a, rootA, 'leaves');
  const leavesB = treePages(pages.b, rootB, 'leaves');
  const inB = new Set(leavesB);
  const clean = new Set(leavesA.filter((leaf) => inB.has(leaf) && samePage(pages, leaf)));
  const rowsA = cellsOn(pages.a, leavesA);
  if (clean.size === leavesA.length && clean.size === leavesB.length) return { kind: 'identical', rows: rowsA };
  // Cells of the other leaves, in rowid order on both sides: a row moved by a page split still pairs up.
  const cellsA = new LeafCells(pages.a, leavesA.filter((leaf) => !clean.has(leaf)));
  const cellsB = new LeafCells(pages.b, leavesB.filter((leaf) => !clean.has(leaf)));
  const rowids: RowidChanges = { onlyA: [], onlyB: [], changed: [] };
  for (let cellA = cellsA.current(); cellA !== undefined; cellA = cellsA.next()) {
    let cellB = cellsB.current();
    while (cellB !== undefined && cellB.rowid < cellA.rowid) {
      rowids.onlyB.push(cellB.rowid);
      cellB = cellsB.next();
    }
    if (cellB === undefined || cellA.rowid < cellB.rowid) {
      rowids.onlyA.push(cellA.rowid);
      continue;
    }
    if (!sameCell(pages, cellsA.bytes, cellA, cellsB.bytes, cellB)) rowids.changed.push(cellA.rowid);
    cellsB.next();
  }
  for (let cellB = cellsB.current(); cellB !== undefined; cellB = cellsB.next()) rowids.onlyB.push(cellB.rowid);
  return { kind: 'rowids', rowsA, rowids };
}

/** The cells of some leaves in order, reading one leaf at a time into one buffer. */
class LeafCells {
  private readonly buffer: Buffer;
  private page: BtreePage | undefined;
  private leaf = 0;
  private index = 0;

  constructor(
    private readonly file: PageFile,
    private readonly leaves: number[],
  ) {
    this.buffer = Buffer.allocUnsafe(file.pageSize);
  }

  /** The bytes of the page the current cell is on. */
  get bytes(): Buffer {
    return this.page!.bytes;
  }

  current(): Cell | undefined {
    while (this.page === undefined || this.index >= this.page.cells.length) {
      if (this.leaf >= this.leaves.length) return undefined;
      this.page = readBtreePage(this.file, this.leaves[this.leaf++]!, this.buffer);
      this.index = 0;
    }
    return this.page.cells[this.index];
  }

  next(): Cell | undefined {
    this.index++;
    return this.current();
  }
}

/** WITHOUT ROWID tables keep rows in interior pages too: only a whole-table match is used. */
function compareIndexTrees(pages: PagePair, rootA: number, rootB: number): PageComparison {
  const pagesA = treePages(pages.a, rootA, 'all');
  const pagesB = treePages(pages.b, rootB, 'all');
  if (pagesA.length !== pagesB.length) return { kind: 'unknown' };
  for (let i = 0; i < pagesA.length; i++) {
    if (pagesA[i] !== pagesB[i] || !samePage(pages, pagesA[i]!)) return { kind: 'unknown' };
  }
  return { kind: 'identical', rows: cellsOn(pages.a, pagesA) };
}

function cellsOn(file: PageFile, pageNumbers: number[]): number {
  return pageNumbers.reduce((n, page) => n + file.cellCount(page), 0);
}

/** Page numbers of a b-tree in key order: its leaves, or all its pages. Reads only interior pages. */
function treePages(file: PageFile, root: number, which: 'leaves' | 'all'): number[] {
  const pages: number[] = [];
  const stack = [root];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const pageNumber = stack.pop()!;
    if (seen.has(pageNumber)) throw new CorruptPageError(`page ${pageNumber} appears twice in one b-tree`);
    seen.add(pageNumber);
    const type = file.type(pageNumber);
    if (type === PAGE_TYPES.TABLE_LEAF || type === PAGE_TYPES.INDEX_LEAF) {
      pages.push(pageNumber);
      continue;
    }
    if (which === 'all') pages.push(pageNumber);
    const children = readBtreePage(file, pageNumber).children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return pages;
}

/** Same bytes on a page number of both files, overflow chains included. */
function samePage(pages: PagePair, pageNumber: number): boolean {
  if (pages.pageDiffers(pageNumber)) return false;
  if (!pages.a.spills(pageNumber)) return true;
  return readBtreePage(pages.a, pageNumber).cells.every((cell) => cell.overflow === 0 || sameOverflow(pages, cell));
}

function sameCell(pages: PagePair, bytesA: Buffer, cellA: Cell, bytesB: Buffer, cellB: Cell): boolean {
  if (cellA.end - cellA.start !== cellB.end - cellB.start) return false;
  if (bytesA.compare(bytesB, cellB.start, cellB.end, cellA.start, cellA.end) !== 0) return false;
  return cellA.overflow === 0 || sameOverflow(pages, cellA);
}

/** Whether a cell's overflow chain (the same page numbers in both files) holds the same bytes. */
function sameOverflow(pages: PagePair, cell: Cell): boolean {
  let pageNumber = cell.overflow;
  let remaining = cell.overflowBytes;
  while (remaining > 0) {
    if (pageNumber === 0) throw new CorruptPageError('overflow chain ends early');
    if (pages.pageDiffers(pageNumber)) return false;
    remaining -= pages.a.usableSize - 4;
    pageNumber = pages.a.nextOverflowPage(pageNumber);
  }
  return true;
}
