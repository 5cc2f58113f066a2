import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, afterEach, before, describe, it } from 'node:test';
import { BadInputError, CancelledError, IntegrityError } from '../../../src/core/errors';
import type { B2Store } from '../../../src/core/store/b2-store';
import type { ByteRange, RemoteVersion } from '../../../src/core/store/store';
import { MB, randomFile, sha1Of, storeFixture, type StoreFixture } from './store-fixture';

const SIZE = 3 * MB + 12_345;

describe('B2Store reads byte ranges of a version', () => {
  let f: StoreFixture;
  let store: B2Store;
  let data: Buffer;
  let version: RemoteVersion;
  before(async () => {
    f = await storeFixture();
    store = await f.open({ downloadConcurrency: 3, maxAttempts: 4 });
    const file = await randomFile(f.dir, 'remote.db', SIZE);
    data = file.data;
    version = await store.uploadFile(file.path, 'ranges/remote.db');
  });
  afterEach(() => {
    f.b2.server.faults.clear();
    f.b2.server.requests.clear();
  });
  after(async () => {
    await f.close();
  });

  /** Reads `ranges`, checking that each range's bytes come in order and that deliveries never overlap. */
  const read = async (ranges: readonly ByteRange[], options: Parameters<B2Store['readRanges']>[3] = {}): Promise<Map<number, Buffer>> => {
    const received = new Map<number, Buffer[]>(ranges.map((r) => [r.start, []]));
    const next = new Map(ranges.map((r) => [r.start, r.start]));
    let delivering = false;
    await store.readRanges(
      version,
      ranges,
      async (position, bytes) => {
        assert.equal(delivering, false, 'two deliveries overlapped');
        delivering = true;
        const range = ranges.find((r) => position >= r.start && position < r.start + r.length);
        assert.ok(range, `bytes at ${position} belong to no range`);
        assert.equal(position, next.get(range.start), `bytes of the range at ${range.start} out of order`);
        next.set(range.start, position + bytes.length);
        received.get(range.start)?.push(Buffer.from(bytes));
        await nextTurn();
        delivering = false;
      },
      options,
    );
    return new Map([...received].map(([start, chunks]) => [start, Buffer.concat(chunks)]));
  };

  const assertExact = (ranges: readonly ByteRange[], got: Map<number, Buffer>): void => {
    for (const { start, length } of ranges) {
      assert.ok(got.get(start)?.equals(data.subarray(start, start + length)), `bytes ${start}-${start + length - 1} differ`);
    }
  };

  it('returns exactly the bytes asked: many small ranges, adjacent ones, a long one and the last byte', async () => {
    const ranges: ByteRange[] = [];
    for (let start = 7; start < 2 * MB; start += 40_000 + (start % 997)) ranges.push({ start, length: 1 + (start % 3000) });
    ranges.push({ start: 2 * MB, length: 100 }, { start: 2 * MB + 100, length: 1 }, { start: 2 * MB + 101, length: 4096 }); // adjacent
    ranges.push({ start: 2 * MB + 10_000, length: MB + 1000 }); // spans several receive blocks
    ranges.push({ start: SIZE - 1, length: 1 });
    const progress: Array<[number, number]> = [];
    const got = await read(ranges, { onProgress: (d, t) => progress.push([d, t]) });
    assertExact(ranges, got);
    const total = ranges.reduce((sum, r) => sum + r.length, 0);
    assert.deepEqual(progress.at(-1), [total, total]);
    assert.equal(f.b2.server.requests.of('download', 206).length, ranges.length, 'one request per range');
  });

  it('resumes a range cut mid-body where it stopped', async () => {
    const ranges = [{ start: 1000, length: 2 * MB }];
    f.b2.server.faults.disconnect('download', 1_200_000); // past the first receive blocks
    assertExact(ranges, await read(ranges));
    assert.equal(f.b2.server.requests.of('download', 0).length, 1);
    assert.equal(f.b2.server.requests.of('download', 206).length, 1);
  });

  it('retries a refused range', async () => {
    const ranges = [{ start: 0, length: 10 }, { start: 500, length: 10 }];
    f.b2.server.faults.serviceUnavailable('download');
    assertExact(ranges, await read(ranges));
    assert.equal(f.b2.server.requests.of('download', 503).length, 1);
  });

  it('stops everything when aborted', async () => {
    const controller = new AbortController();
    f.b2.server.faults.delay('download', 200, 20);
    const ranges = Array.from({ length: 12 }, (_, i) => ({ start: i * 100_000, length: 50_000 }));
    let after = 0;
    const started = performance.now();
    const reading = store.readRanges(version, ranges, () => {
      if (controller.signal.aborted) after++;
      controller.abort();
    }, { signal: controller.signal });
    await assert.rejects(reading, CancelledError);
    assert.ok(performance.now() - started < 1500, 'it waited for the ranges under way');
    assert.equal(after, 0, 'bytes were delivered after the abort');
    assert.ok(f.b2.server.requests.of('download').length <= 6, 'ranges kept starting after the abort');
  });

  it('fails with the error of a delivery that fails, and delivers nothing more', async () => {
    const ranges = Array.from({ length: 6 }, (_, i) => ({ start: i * 300_000, length: 200_000 }));
    let calls = 0;
    await assert.rejects(
      store.readRanges(version, ranges, () => {
        calls++;
        throw new Error('disk full');
      }),
      /disk full/,
    );
    assert.equal(calls, 1);
  });

  it('refuses ranges that are not byte ranges before asking anything', async () => {
    for (const range of [{ start: -1, length: 10 }, { start: 0, length: 0 }, { start: 0.5, length: 1 }]) {
      await assert.rejects(store.readRanges(version, [range], () => undefined), BadInputError);
    }
    assert.equal(f.b2.server.requests.entries.length, 0);
  });
});

describe('B2Store reads small files by name and lists the heads under a prefix', () => {
  let f: StoreFixture;
  before(async () => {
    f = await storeFixture();
  });
  afterEach(() => {
    f.b2.server.faults.clear();
  });
  after(async () => {
    await f.close();
  });

  it('downloads the newest version of a name with its file info, SHA-1 checked', async () => {
    await f.store.uploadBytes('manifests/app/v1.json', Buffer.from('old'));
    const newest = await f.store.uploadBytes('manifests/app/v1.json', Buffer.from('{"blocks":[]}'), { info: { parent: '4_z x/y%' } });
    const found = await f.store.downloadBytesByName('manifests/app/v1.json');
    assert.ok(found);
    assert.equal(found.bytes.toString(), '{"blocks":[]}');
    assert.deepEqual(
      { id: found.version.id, name: found.version.name, size: found.version.size, sha1: found.version.sha1, info: found.version.info },
      { id: newest.id, name: newest.name, size: newest.size, sha1: sha1Of(Buffer.from('{"blocks":[]}')), info: { parent: '4_z x/y%' } },
    );
  });

  it('answers undefined for a name that does not exist or is hidden', async () => {
    assert.equal(await f.store.downloadBytesByName('manifests/none.json'), undefined);
    await f.store.uploadBytes('manifests/hidden.json', Buffer.from('x'));
    await f.store.hide('manifests/hidden.json');
    assert.equal(await f.store.downloadBytesByName('manifests/hidden.json'), undefined);
  });

  it('refuses a corrupt body', async () => {
    await f.store.uploadBytes('manifests/corrupt.json', Buffer.from('some manifest'));
    f.b2.server.faults.corruptDownload();
    await assert.rejects(f.store.downloadBytesByName('manifests/corrupt.json'), IntegrityError);
  });

  it('lists the newest visible version of each name directly under a prefix, across pages', async () => {
    await f.store.uploadBytes('heads/a.db', Buffer.from('a1'));
    const a = await f.store.uploadBytes('heads/a.db', Buffer.from('a2'));
    const b = await f.store.uploadBytes('heads/b.db', Buffer.from('b'));
    await f.store.uploadBytes('heads/deeper/c.db', Buffer.from('c'));
    await f.store.uploadBytes('heads/gone.db', Buffer.from('gone'));
    await f.store.hide('heads/gone.db');
    const z = await f.store.uploadBytes('heads/z.db', Buffer.from('z'));
    await f.store.uploadBytes('heads-elsewhere.db', Buffer.from('not under the prefix'));
    const heads: RemoteVersion[] = [];
    for await (const head of f.store.listHeads('heads/', { pageSize: 1 })) heads.push(head);
    assert.deepEqual(
      heads.map((h) => h.id),
      [a.id, b.id, z.id],
    );
    assert.ok(heads.every((h) => h.action === 'upload' && h.sha1 !== undefined));
  });
});
