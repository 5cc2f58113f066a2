import { CorruptPageError, PAGE_TYPES, PageFile, readBtreePage, nextOverflowPage, type Cell } from './btree-pages';

/**
 * What comparing a table's b-tree pages in two files tells: the whole table is the same, or (rowid
 * tables) which rows may differ — every row outside those lists is stored byte for byte the same
 * in both files, under the same rowid, so it is unchanged — or nothing (compare every row).
 */
export type PageComparison =
  | { kind: 'identical'; rows: number }
  | { kind: 'candidates'; rowsA: number; rowidsA: (number | bigint)[]; rowidsB: (number | bigint)[] }
  | { kind: 'unknown' };

export function comparePages(a: PageFile, b: PageFile, rootA: number, rootB: number, withoutRowid: boolean): PageComparison {
  if (a.usableSize !== b.usableSize || a.pageSize !== b.pageSize) return { kind: 'unknown' };
  try {
    return withoutRowid ? compareIndexTrees(a, b, rootA, rootB) : compareTableTrees(a, b, rootA, rootB);
  } catch (e) {
    if (e instanceof CorruptPageError) return { kind: 'unknown' };
    throw e;
  }
}

function compareTableTrees(a: PageFile, b: PageFile, rootA: number, rootB: number): PageComparison {
  const leavesA = treePages(a, rootA, 'leaves');
  const leavesB = treePages(b, rootB, 'leaves');
  const inB = new Set(leavesB);
  const inA = new Set(leavesA);
  const rowidsA: (number | bigint)[] = [];
  const rowidsB: (number | bigint)[] = [];
  let rowsA = 0;
  for (const leaf of leavesA) {
    const cellsA = readBtreePage(a, leaf).cells;
    rowsA += cellsA.length;
    if (!inB.has(leaf)) {
      for (const cell of cellsA) rowidsA.push(cell.rowid);
    } else if (!pagesEqual(a, b, leaf, cellsA)) {
      mergeCells(a, b, cellsA, readBtreePage(b, leaf).cells, leaf, rowidsA, rowidsB);
    }
  }
  for (const leaf of leavesB) {
    if (!inA.has(leaf)) for (const cell of readBtreePage(b, leaf).cells) rowidsB.push(cell.rowid);
  }
  if (rowidsA.length === 0 && rowidsB.length === 0 && leavesA.length === leavesB.length) return { kind: 'identical', rows: rowsA };
  return { kind: 'candidates', rowsA, rowidsA, rowidsB };
}

/** WITHOUT ROWID tables keep rows in interior pages too: only a whole-table match is used. */
function compareIndexTrees(a: PageFile, b: PageFile, rootA: number, rootB: number): PageComparison {
  const pagesA = treePages(a, rootA, 'all');
  const pagesB = treePages(b, rootB, 'all');
  if (pagesA.length !== pagesB.length || rootA !== rootB) return { kind: 'unknown' };
  let rows = 0;
  for (let i = 0; i < pagesA.length; i++) {
    const page = pagesA[i]!;
    if (page !== pagesB[i]) return { kind: 'unknown' };
    const cells = readBtreePage(a, page).cells;
    if (!pagesEqual(a, b, page, cells)) return { kind: 'unknown' };
    rows += cells.length;
  }
  return { kind: 'identical', rows };
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
    const type = file.page(pageNumber)[pageNumber === 1 ? 100 : 0];
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

function pagesEqual(a: PageFile, b: PageFile, pageNumber: number, cells: Cell[]): boolean {
  return bytesEqual(a.page(pageNumber), b.page(pageNumber)) && cells.every((cell) => overflowEqual(a, b, cell));
}

/** Pairs the cells of one page number in both files by rowid; the ones not equal are candidates. */
function mergeCells(a: PageFile, b: PageFile, cellsA: Cell[], cellsB: Cell[], pageNumber: number, rowidsA: (number | bigint)[], rowidsB: (number | bigint)[]): void {
  const pageA = a.page(pageNumber);
  const pageB = b.page(pageNumber);
  let j = 0;
  for (const cellA of cellsA) {
    while (j < cellsB.length && cellsB[j]!.rowid < cellA.rowid) rowidsB.push(cellsB[j++]!.rowid);
    const cellB = cellsB[j];
    if (cellB !== undefined && !(cellA.rowid < cellB.rowid)) {
      j++;
      const same =
        cellA.end - cellA.start === cellB.end - cellB.start &&
        bytesEqual(pageA.subarray(cellA.start, cellA.end), pageB.subarray(cellB.start, cellB.end)) &&
        overflowEqual(a, b, cellA);
      if (same) continue;
      rowidsB.push(cellB.rowid);
    }
    rowidsA.push(cellA.rowid);
  }
  while (j < cellsB.length) rowidsB.push(cellsB[j++]!.rowid);
}

/** Whether a cell's overflow chain (the same page numbers in both files) holds the same bytes. */
function overflowEqual(a: PageFile, b: PageFile, cell: Cell): boolean {
  let pageNumber = cell.overflow;
  let remaining = cell.overflowBytes;
  while (remaining > 0) {
    if (pageNumber === 0) throw new CorruptPageError('overflow chain ends early');
    if (!bytesEqual(a.page(pageNumber), b.page(pageNumber))) return false;
    remaining -= a.usableSize - 4;
    pageNumber = nextOverflowPage(a, pageNumber);
  }
  return true;
}

function bytesEqual(x: Uint8Array, y: Uint8Array): boolean {
  return Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
}
