import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { DatabaseFile } from '../../../src/core/diff/pages/database-file';
import { scanFilePair } from '../../../src/core/diff/pages/file-pair';
import { BadInputError } from '../../../src/core/errors';
import { tempFolder } from './helpers';

const folder = tempFolder();
after(() => folder.cleanup());

const PAGE = 4096;
// Enough pages to span many of the reader's 1 MiB chunks.
const PAGES = 5000;
const TABLE_LEAF = 0x0d;

/** A fake WAL-mode database file: a header naming the page size, then leaf pages numbered by their cell count. */
function file(name: string, pages: number, edit?: (bytes: Buffer) => void): string {
  const bytes = Buffer.alloc(pages * PAGE);
  bytes.write('SQLite format 3\0', 'latin1');
  bytes.writeUInt16BE(PAGE, 16);
  bytes[18] = 2;
  bytes[19] = 2;
  for (let page = 1; page <= pages; page++) {
    const header = (page - 1) * PAGE + (page === 1 ? 100 : 0);
    bytes[header] = TABLE_LEAF;
    bytes.writeUInt16BE(page % 1000, header + 3);
  }
  edit?.(bytes);
  const path = folder.path(name);
  writeFileSync(path, bytes);
  return path;
}

async function scan(aPath: string, bPath: string) {
  const a = DatabaseFile.open(aPath);
  const b = DatabaseFile.open(bPath);
  after(() => [a, b].forEach((f) => f.close()));
  return { a, b, pair: await scanFilePair(a, b) };
}

describe('scanFilePair', () => {
  it('finds equal files equal and summarizes their pages', async () => {
    const { pair } = await scan(file('a1', PAGES), file('b1', PAGES));
    assert.equal(pair.same, true);
    assert.equal(pair.pageDiffers(PAGES), false);
    assert.equal(pair.a.type(PAGES), TABLE_LEAF);
    assert.deepEqual([1, 999, 1000, 4321].map((p) => pair.b.cellCount(p)), [1, 999, 0, 321]);
  });

  it('marks the pages that differ, in every chunk', async () => {
    const changed = [2, 300, 2100, 2101, 4999];
    const b = file('b2', PAGES, (bytes) => changed.forEach((page) => (bytes[(page - 1) * PAGE + 100] = 7)));
    const { pair } = await scan(file('a2', PAGES), b);
    assert.equal(pair.same, false);
    assert.deepEqual(differingPages(pair.pageDiffers, PAGES + 1), [...changed, PAGES + 1]);
  });

  it('marks the pages beyond the shorter file as differing', async () => {
    const b = file('b3', PAGES + 2, (bytes) => (bytes[2 * PAGE + 100] = 7));
    const { pair } = await scan(file('a3', PAGES), b);
    assert.equal(pair.same, false);
    assert.equal(pair.b.cellCount(PAGES + 2), (PAGES + 2) % 1000);
    assert.deepEqual(differingPages(pair.pageDiffers, PAGES + 3), [3, PAGES + 1, PAGES + 2, PAGES + 3]);
  });
});

describe('DatabaseFile', () => {
  it('shows a WAL-mode file as a rollback-journal database', () => {
    const database = DatabaseFile.open(file('wal', 3));
    after(() => database.close());
    const header = Buffer.alloc(100);
    database.readInto(header, 0, 100);
    assert.deepEqual([header[18], header[19]], [1, 1]);
    assert.equal(database.pageCount, 3);
  });

  it('notices a file that changed after it was opened', () => {
    const path = file('growing', 3);
    const database = DatabaseFile.open(path);
    after(() => database.close());
    database.assertUnchanged();
    appendFileSync(path, Buffer.alloc(PAGE));
    assert.throws(() => database.assertUnchanged(), (e: unknown) => e instanceof BadInputError && /changed while it was being compared/.test(e.message));
  });

  it('refuses a header with an impossible page size', () => {
    const path = file('bad-page-size', 2, (bytes) => bytes.writeUInt16BE(1000, 16));
    assert.throws(() => DatabaseFile.open(path), (e: unknown) => e instanceof BadInputError && /page size of 1000/.test(e.message));
  });
});

function differingPages(pageDiffers: (page: number) => boolean, last: number): number[] {
  const pages: number[] = [];
  for (let page = 1; page <= last; page++) if (pageDiffers(page)) pages.push(page);
  return pages;
}
