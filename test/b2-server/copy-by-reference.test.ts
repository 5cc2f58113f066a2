import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withLocalB2, type LocalB2 } from '../support/local-b2';
import { RawClient, sha1Hex } from './raw-api';

const MIN_PART = 1000;

/** Files and bytes of stored content (simple files and parts) in a data folder. */
async function storedContent(dataDir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const top of ['content', 'parts']) {
    for (const entry of await readdir(join(dataDir, top), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      files++;
      bytes += (await stat(join(entry.parentPath, entry.name))).size;
    }
  }
  return { files, bytes };
}

describe('local B2 server: b2_copy_part refers to stored content instead of copying it', () => {
  let local: LocalB2;
  let raw: RawClient;
  before(async () => {
    local = await withLocalB2({ minimumPartSize: MIN_PART });
    raw = await RawClient.open(local);
  });
  after(() => local.close());

  async function body(fileName: string, range?: string): Promise<Buffer> {
    const res = await raw.download(fileName, range === undefined ? {} : { Range: range });
    assert.equal(res.status, range === undefined ? 200 : 206, fileName);
    return Buffer.from(await res.arrayBuffer());
  }

  async function deleteVersion(fileName: string, fileId: string): Promise<void> {
    const res = await raw.call('b2_delete_file_version', { fileName, fileId });
    assert.equal(res.status, 200, JSON.stringify(res.json));
  }

  it('stores no new bytes for copied parts, and the copy reads right', async () => {
    const source = randomBytes(50_000);
    const sourceId = (await raw.upload('ref/source.bin', source)).json.fileId as string;
    const before = await storedContent(local.dataDir);
    const copyId = await raw.buildLargeFile('ref/copy.bin', [
      { copy: sourceId, range: 'bytes=0-24999' },
      { copy: sourceId, range: 'bytes=25000-49999' },
    ]);
    assert.deepEqual(await storedContent(local.dataDir), before);
    assert.ok((await body('ref/copy.bin')).equals(source), 'the copy reads right');
    const info = await raw.call('b2_get_file_info', { fileId: copyId });
    assert.equal(info.json.contentLength, 50_000);
  });

  it('keeps content that another version still refers to, and frees it with the last reference', async () => {
    const base = randomBytes(10_000);
    const baseId = await raw.buildLargeFile('ref/db', [{ upload: base.subarray(0, 4000) }, { upload: base.subarray(4000) }]);
    const added = randomBytes(1500);
    // The next version grew in the middle; the one after shrank; each copies what it keeps from its parent.
    const grownId = await raw.buildLargeFile('ref/db', [
      { copy: baseId, range: 'bytes=0-4999' },
      { upload: added },
      { copy: baseId, range: 'bytes=5000-9999' },
    ]);
    const grown = Buffer.concat([base.subarray(0, 5000), added, base.subarray(5000)]);
    const shrunkId = await raw.buildLargeFile('ref/db', [
      { copy: grownId, range: 'bytes=3000-7499' }, // across the three parts of its parent
      { copy: grownId, range: `bytes=${grown.length - 700}-${grown.length - 1}` },
    ]);
    const shrunk = Buffer.concat([grown.subarray(3000, 7500), grown.subarray(grown.length - 700)]);
    assert.ok((await body('ref/db')).equals(shrunk), 'shrunk');
    const withAll = await storedContent(local.dataDir);

    await deleteVersion('ref/db', shrunkId);
    await deleteVersion('ref/db', baseId);
    assert.ok((await body('ref/db')).equals(grown), 'the grown version still reads whole after its parent was deleted');
    assert.equal((await raw.downloadById(baseId)).status, 404);
    assert.deepEqual(await storedContent(local.dataDir), withAll, 'no byte freed that the grown version refers to');

    const unfinished = await raw.startLargeFile('ref/unfinished');
    assert.equal((await raw.copyPart(grownId, unfinished, 1, 'bytes=100-5099')).status, 200);
    await deleteVersion('ref/db', grownId);
    assert.equal((await raw.call('b2_cancel_large_file', { fileId: unfinished })).status, 200);
    const after = await storedContent(local.dataDir);
    assert.equal(withAll.bytes - after.bytes, base.length + added.length, 'every byte of the three versions is freed');
  });

  it('serves whole and ranged downloads of copied files: across part boundaries, at the end, grown and shrunk', async () => {
    const base = randomBytes(9000);
    const baseId = await raw.buildLargeFile('ranges/base', [{ upload: base.subarray(0, 3000) }, { upload: base.subarray(3000, 6000) }, { upload: base.subarray(6000) }]);
    const extra = randomBytes(1200);
    const grownId = await raw.buildLargeFile('ranges/grown', [
      { copy: baseId, range: 'bytes=1000-7999' }, // one part over three stored pieces, from inside the first to inside the last
      { upload: extra },
      { copy: baseId, range: 'bytes=8500-8999' }, // the source's very end
    ]);
    const grown = Buffer.concat([base.subarray(1000, 8000), extra, base.subarray(8500)]);
    const shrunkId = await raw.buildLargeFile('ranges/shrunk', [
      { copy: grownId, range: 'bytes=6500-8199' }, // across the copied and the uploaded part of its source
      { copy: grownId, range: 'bytes=8199-8699' },
    ]);
    const shrunk = Buffer.concat([grown.subarray(6500, 8200), grown.subarray(8199, 8700)]);
    assert.equal(grownId === shrunkId, false);

    assert.ok((await body('ranges/grown')).equals(grown), 'grown');
    assert.ok((await body('ranges/shrunk')).equals(shrunk), 'shrunk');
    // Where stored pieces meet: grown at 2000, 5000 (the source's parts), 7000 and 8200 (its own
    // parts); shrunk at 500 (its source's parts) and 1700 (its own).
    const cases = [
      { name: 'ranges/grown', content: grown, edges: [2000, 5000, 7000, 8200] },
      { name: 'ranges/shrunk', content: shrunk, edges: [500, 1700] },
    ];
    for (const { name, content, edges } of cases) {
      const n = content.length;
      const ranges = [[0, 0], [0, n - 1], [n - 1, n - 1], [n - 600, n - 1], ...edges.flatMap((e) => [[e - 1, e], [e - 5, e + 5], [e, e]])];
      for (const [from, to] of ranges as Array<[number, number]>) {
        assert.ok((await body(name, `bytes=${from}-${to}`)).equals(content.subarray(from, to + 1)), `${name} bytes=${from}-${to}`);
      }
      assert.ok((await body(name, 'bytes=-5')).equals(content.subarray(n - 5)), `${name} suffix`);
      assert.ok((await body(name, `bytes=${n - 3}-`)).equals(content.subarray(n - 3)), `${name} open end`);
      assert.ok((await body(name, `bytes=${edges[0]}-${n + 100}`)).equals(content.subarray(edges[0])), `${name} past the end`);
    }
    const sha1 = (await raw.copyPart(grownId, await raw.startLargeFile('ranges/probe'), 1, 'bytes=6500-8199')).json.contentSha1;
    assert.equal(sha1, sha1Hex(grown.subarray(6500, 8200)));
  });

  it('answers the right SHA-1 for copies of a whole file, of exactly one part, and of any other range', async () => {
    const data = randomBytes(7000);
    const simpleId = (await raw.upload('sha/simple.bin', data)).json.fileId as string;
    const unverifiedId = (await raw.upload('sha/unverified.bin', data, { 'X-Bz-Content-Sha1': 'do_not_verify' })).json.fileId as string;
    const largeId = await raw.buildLargeFile('sha/large.bin', [{ upload: data.subarray(0, 3000) }, { upload: data.subarray(3000, 6000) }, { upload: data.subarray(6000) }]);
    const target = await raw.startLargeFile('sha/target.bin');
    const cases: Array<[string, string | undefined, Buffer]> = [
      [simpleId, undefined, data],
      [unverifiedId, undefined, data],
      [largeId, undefined, data],
      [largeId, 'bytes=3000-5999', data.subarray(3000, 6000)], // exactly part 2
      [largeId, 'bytes=6000-6999', data.subarray(6000)], // exactly the last part
      [largeId, 'bytes=3000-5998', data.subarray(3000, 5999)],
      [largeId, 'bytes=2999-5999', data.subarray(2999, 6000)],
      [simpleId, 'bytes=0-6998', data.subarray(0, 6999)],
    ];
    for (const [sourceId, range, bytes] of cases) {
      const res = await raw.copyPart(sourceId, target, 1, range);
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.equal(res.json.contentSha1, sha1Hex(bytes), `${sourceId === largeId ? 'large' : 'simple'} ${range ?? 'whole'}`);
    }
  });
});
