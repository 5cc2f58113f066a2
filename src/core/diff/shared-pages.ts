import { CorruptPageError, PAGE_TYPES, PageFile, cellCount, hasOverflowCells, nextOverflowPage, pageType, readBtreePage, type Cell } from './btree-pages';

/**
 * What comparing a table's b-tree pages in two files tells: the whole table is the same, or (rowid
 * tables) which rows may differ — every row outside those lists is stored byte for byte the same
 * in both files under the same rowid, so it is unchanged — or nothing (compare every row).
 */
export type PageComparison =
  | { kind: 'identical'; rows: number }
  | { kind: 'candidates'; rowsA: number; rowidsA: (number | bigint)[]; rowidsB: (number | bigint)[] }
  | { kind: 'unknown' };

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
      const pages = treePages(a, rootA, withoutRowid ? 'all' : 'leaves');
      return { kind: 'identical', rows: pages.reduce((n, page) => n + cellCount(a, page), 0) };
    }
    return withoutRowid ? compareIndexTrees(pages, rootA, rootB) : compareTableTrees(pages, rootA, rootB);
  } catch (e) {
    if (e instanceof CorruptPageError) return { kind: 'unknown' };
    throw e;
  }
}

function compareTableTrees(pages: PagePair, rootA: number, rootB: number): PageComparison {
  const { a, b } = pages;
  const leavesA = treePages(a, rootA, 'leaves');
  const leavesB = treePages(b, rootB, 'leaves');
  const inB = new Set(leavesB);
  const clean = new Set(leavesA.filter((leaf) => inB.has(leaf) && samePage(pages, leaf)));
  const rowsA = leavesA.reduce((n, leaf) => n + cellCount(a, leaf), 0);
  if (clean.size === leavesA.length && clean.size === leavesB.length) return { kind: 'identical', rows: rowsA };
  // Cells of the other leaves, in rowid order on both sides: a row moved by a page split still pairs up.
  const cellsA = dirtyCells(a, leavesA, clean);
  const cellsB = dirtyCells(b, leavesB, clean);
  const rowidsA: (number | bigint)[] = [];
  const rowidsB: (number | bigint)[] = [];
  let j = 0;
  for (let i = 0; i < cellsA.length; i++) {
    const cellA = cellsA[i]!;
    while (j < cellsB.length && cellsB[j]!.rowid < cellA.rowid) rowidsB.push(cellsB[j++]!.rowid);
    const cellB = cellsB[j];
    if (cellB !== undefined && !(cellA.rowid < cellB.rowid)) {
      j++;
      if (sameCell(pages, cellA, cellB)) continue;
      rowidsB.push(cellB.rowid);
    }
    rowidsA.push(cellA.rowid);
  }
  while (j < cellsB.length) rowidsB.push(cellsB[j++]!.rowid);
  return { kind: 'candidates', rowsA, rowidsA, rowidsB };
}

function dirtyCells(file: PageFile, leaves: number[], clean: Set<number>): Cell[] {
  const cells: Cell[] = [];
  for (const leaf of leaves) if (!clean.has(leaf)) for (const cell of readBtreePage(file, leaf).cells) cells.push(cell);
  return cells;
}

/** WITHOUT ROWID tables keep rows in interior pages too: only a whole-table match is used. */
function compareIndexTrees(pages: PagePair, rootA: number, rootB: number): PageComparison {
  const pagesA = treePages(pages.a, rootA, 'all');
  const pagesB = treePages(pages.b, rootB, 'all');
  if (pagesA.length !== pagesB.length) return { kind: 'unknown' };
  for (let i = 0; i < pagesA.length; i++) {
    if (pagesA[i] !== pagesB[i] || !samePage(pages, pagesA[i]!)) return { kind: 'unknown' };
  }
  return { kind: 'identical', rows: pagesA.reduce((n, page) => n + cellCount(pages.a, page), 0) };
}

/** Page numbers of a b-tree in key order: its leaves, or all its pages. */
function treePages(file: PageFile, root: number, which: 'leaves' | 'all'): number[] {
  const pages: number[] = [];
  const stack = [root];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const pageNumber = stack.pop()!;
    if (seen.has(pageNumber)) throw new CorruptPageError(`page ${pageNumber} appears twice in one b-tree`);
    seen.add(pageNumber);
    const type = pageType(file, pageNumber);
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
  if (!hasOverflowCells(pages.a, pageNumber)) return true;
  return readBtreePage(pages.a, pageNumber).cells.every((cell) => cell.overflow === 0 || sameOverflow(pages, cell));
}

function sameCell(pages: PagePair, cellA: Cell, cellB: Cell): boolean {
  const length = cellA.end - cellA.start;
  if (length !== cellB.end - cellB.start) return false;
  const bytesA = pages.a.bytes;
  const bytesB = pages.b.bytes;
  for (let i = 0; i < length; i++) if (bytesA[cellA.start + i] !== bytesB[cellB.start + i]) return false;
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
    pageNumber = nextOverflowPage(pages.a, pageNumber);
  }
  return true;
}
