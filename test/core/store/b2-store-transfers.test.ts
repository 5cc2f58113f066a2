import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RemoteVersion } from '../../../src/core/store/store';
import { MB, randomFile, sha1Of, storeFixture, strayFiles, type StoreFixture } from './store-fixture';

describe('B2Store transfers against the local B2 server', () => {
  let f: StoreFixture;
  before(async () => {
    f = await storeFixture();
  });
  after(async () => {
    await f.close();
  });

  it('round-trips a small file byte for byte, with its file info', async () => {
    const source = await randomFile(f.dir, 'small.db', 200_000);
    const progress: Array<[number, number]> = [];
    const info = { author: 'Zoë <zoe@example.com> 100% sure', parent: '4_zabc' };
    const version = await f.store.uploadFile(source.path, 'db/small.db', { info, onProgress: (d, t) => progress.push([d, t]) });

    assert.equal(version.name, 'db/small.db');
    assert.equal(version.action, 'upload');
    assert.equal(version.size, 200_000);
    assert.equal(version.sha1, source.sha1);
    assert.deepEqual(version.info, info);
    assert.deepEqual(progress.at(-1), [200_000, 200_000]);
    assert.equal(f.b2.server.requests.of('b2_start_large_file').length, 0);

    const target = join(f.dir, 'small-copy.db');
    const result = await f.store.downloadToFile(version, target);
    assert.deepEqual(result, { sha1: source.sha1, size: 200_000 });
    assert.ok((await readFile(target)).equals(source.data));
  });

  it('round-trips a 12 MB file through the large-file API with parts in parallel', async () => {
    const source = await randomFile(f.dir, 'large.db', 12 * MB + 123);
    f.b2.server.requests.clear();
    let lastProgress: [number, number] = [0, 0];
    const version = await f.store.uploadFile(source.path, 'db/large.db', { info: { author: 'me' }, onProgress: (d, t) => (lastProgress = [d, t]) });

    assert.equal(f.b2.server.requests.of('b2_start_large_file', 200).length, 1);
    assert.equal(f.b2.server.requests.of('b2_upload_part', 200).length, 3);
    assert.equal(f.b2.server.requests.of('b2_finish_large_file', 200).length, 1);
    assert.equal(version.sha1, source.sha1);
    assert.equal(version.info['large_file_sha1'], source.sha1);
    assert.equal(version.info['author'], 'me');
    assert.equal(version.size, source.data.length);
    assert.deepEqual(lastProgress, [source.data.length, source.data.length]);

    const target = join(f.dir, 'large-copy.db');
    let downloaded = 0;
    const result = await f.store.downloadToFile(version, target, { onProgress: (d) => (downloaded = d) });
    assert.equal(result.sha1, source.sha1);
    assert.equal(downloaded, source.data.length);
    assert.ok((await readFile(target)).equals(source.data));
  });

  it('round-trips an empty file', async () => {
    const source = await randomFile(f.dir, 'empty.db', 0);
    const version = await f.store.uploadFile(source.path, 'db/empty.db');
    const target = join(f.dir, 'empty-copy.db');
    assert.deepEqual(await f.store.downloadToFile(version, target), { sha1: sha1Of(Buffer.alloc(0)), size: 0 });
    assert.equal((await readFile(target)).length, 0);
  });

  it('replaces an existing target and leaves no temporary file beside it', async () => {
    const target = join(f.dir, 'replace', 'app.db');
    await mkdir(join(f.dir, 'replace'));
    await writeFile(target, 'old content');
    const version = await f.store.uploadBytes('db/replace.db', Buffer.from('new content'));
    await f.store.downloadToFile(version, target);
    assert.equal(await readFile(target, 'utf8'), 'new content');
    assert.deepEqual(await strayFiles(join(f.dir, 'replace'), ['app.db']), []);
  });

  it('uploads and downloads small objects in memory', async () => {
    const data = Buffer.from('{"owner":"alice"}');
    const version = await f.store.uploadBytes('locks/app/attempt-1', data, { info: { owner: 'alice' }, contentType: 'application/json' });
    assert.equal(version.sha1, sha1Of(data));
    assert.ok((await f.store.downloadBytes(version)).equals(data));
  });

  it('lists every version under a prefix across several pages, newest first within a name', async () => {
    const uploaded: RemoteVersion[] = [];
    for (let i = 0; i < 3; i++) uploaded.push(await f.store.uploadBytes('list/a.db', Buffer.from(`a${i}`)));
    for (let i = 0; i < 2; i++) uploaded.push(await f.store.uploadBytes('list/b.db', Buffer.from(`b${i}`)));
    await f.store.uploadBytes('listing-elsewhere.db', Buffer.from('not under the prefix'));
    f.b2.server.requests.clear();

    const listed: RemoteVersion[] = [];
    for await (const v of f.store.listVersions('list/', { pageSize: 2 })) listed.push(v);

    assert.equal(f.b2.server.requests.of('b2_list_file_versions', 200).length, 3);
    const expected = [...uploaded.slice(0, 3).reverse(), ...uploaded.slice(3).reverse()].map((v) => v.id);
    assert.deepEqual(
      listed.map((v) => v.id),
      expected,
    );
    assert.ok(listed.every((v) => v.action === 'upload' && v.sha1 !== undefined));
  });

  it('hides a name and deletes versions, tolerating an already deleted one', async () => {
    const first = await f.store.uploadBytes('hide/x.db', Buffer.from('1'));
    const marker = await f.store.hide('hide/x.db');
    assert.equal(marker.action, 'hide');
    await f.store.deleteVersion(first);
    await f.store.deleteVersion(first);
    const left: RemoteVersion[] = [];
    for await (const v of f.store.listVersions('hide/')) left.push(v);
    assert.deepEqual(
      left.map((v) => v.id),
      [marker.id],
    );
  });

  it("reads the server's clock, skew included", async () => {
    f.b2.server.clock.offsetMs = 3_600_000;
    try {
      await f.store.uploadBytes('clock/tick', Buffer.from('tick')); // a response with the skewed Date
      const estimate = await f.store.serverTime();
      assert.ok(Math.abs(estimate - (Date.now() + 3_600_000)) < 2_500, `estimate off by ${estimate - Date.now()} ms`);
    } finally {
      f.b2.server.clock.offsetMs = 0;
    }
  });

  it('refuses bad file info before sending anything', async () => {
    f.b2.server.requests.clear();
    await assert.rejects(f.store.uploadBytes('x', Buffer.from('x'), { info: { Author: 'upper case' } }), { name: 'BadInputError' });
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    await assert.rejects(f.store.uploadBytes('x', Buffer.from('x'), { info: eleven }), { name: 'BadInputError' });
    await assert.rejects(f.store.uploadFile(join(f.dir, 'missing.db'), 'x'), { name: 'BadInputError' });
    assert.equal(f.b2.server.requests.entries.length, 0);
  });
});
