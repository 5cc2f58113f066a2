import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { readFilePair } from '../../../src/core/diff/file-pair';
import { tempFolder } from './helpers';

const folder = tempFolder();
after(() => folder.cleanup());

const PAGE = 4096;
// Enough pages to span several of the reader's 8 MiB chunks.
const PAGES = 5000;

/** A fake database file: a header naming the page size and journal mode, then numbered pages. */
function file(name: string, pages: number, edit?: (bytes: Buffer) => void): string {
  const bytes = Buffer.alloc(pages * PAGE);
  bytes.write('SQLite format 3\0', 'latin1');
  bytes.writeUInt16BE(PAGE, 16);
  bytes[18] = 2;
  bytes[19] = 2;
  for (let page = 2; page <= pages; page++) bytes.writeUInt32BE(page, (page - 1) * PAGE);
  edit?.(bytes);
  const path = folder.path(name);
  writeFileSync(path, bytes);
  return path;
}

describe('readFilePair', () => {
  it('reads equal files into one buffer, marked as rollback-journal databases', async () => {
    const files = await readFilePair(file('a1', PAGES), file('b1', PAGES));
    assert.equal(files.same, true);
    assert.ok(files.b === files.a);
    assert.equal(files.a.length, PAGES * PAGE);
    assert.deepEqual([files.a[18], files.a[19]], [1, 1]);
    assert.equal(files.pageDiffers(PAGES), false);
  });

  it('copies the equal start of B from A once the files turn out to differ', async () => {
    // The first difference lies in the second chunk.
    const changed = [2100, 2101, 4999];
    const b = file('b2', PAGES, (bytes) => changed.forEach((page) => (bytes[(page - 1) * PAGE + 100] = 7)));
    const files = await readFilePair(file('a2', PAGES), b);
    assert.equal(files.same, false);
    assert.ok(files.b.equals(markedRollbackJournal(readFileSync(b))));
    assert.deepEqual(differingPages(files.pageDiffers, PAGES + 1), [...changed, PAGES + 1]);
  });

  it('marks the pages beyond the shorter file as differing', async () => {
    const b = file('b3', PAGES + 2, (bytes) => (bytes[2 * PAGE + 100] = 7));
    const files = await readFilePair(file('a3', PAGES), b);
    assert.equal(files.same, false);
    assert.equal(files.a.length, PAGES * PAGE);
    assert.ok(files.b.equals(markedRollbackJournal(readFileSync(b))));
    assert.deepEqual(differingPages(files.pageDiffers, PAGES + 3), [3, PAGES + 1, PAGES + 2, PAGES + 3]);
  });
});

function markedRollbackJournal(bytes: Buffer): Buffer {
  bytes[18] = 1;
  bytes[19] = 1;
  return bytes;
}

function differingPages(pageDiffers: (page: number) => boolean, last: number): number[] {
  const pages: number[] = [];
  for (let page = 1; page <= last; page++) if (pageDiffers(page)) pages.push(page);
  return pages;
}
