import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withLocalB2, type LocalB2 } from '../support/local-b2';
import { b2ErrorOf, bucketIdOf, connect as connectB2, type B2File } from './b2-client';
import { RawClient, sha1Hex, type RawResponse } from './raw-api';

const MIN_PART = 1000;

describe('local B2 server: large files', () => {
  let local: LocalB2;
  let raw: RawClient;
  before(async () => {
    local = await withLocalB2({
      minimumPartSize: MIN_PART,
      buckets: ['b2m-demo', 'other-bucket'],
      restrictedKeys: [{ keyId: 'demo-only', key: 'demo-secret', bucket: 'b2m-demo', namePrefix: '' }],
    });
    raw = await RawClient.open(local);
  });
  after(() => local.close());

  const start = (fileName: string): Promise<string> => raw.startLargeFile(fileName);
  const part = (fileId: string, partNumber: number, data: Buffer, sha1?: string): Promise<RawResponse> => raw.uploadPart(fileId, partNumber, data, sha1);
  const finish = (fileId: string, partSha1Array: unknown): Promise<RawResponse> => raw.call('b2_finish_large_file', { fileId, partSha1Array });

  it('start, parts, finish through backblaze-b2; downloads whole and across part boundaries', async () => {
    const b2 = await connectB2(local);
    const bucketId = await bucketIdOf(b2, local.bucket);
    const data = randomBytes(2500);
    const wholeSha1 = sha1Hex(data);
    const started = await b2.startLargeFile({
      bucketId,
      fileName: 'large/app.db',
      axiosOverride: { data: { fileInfo: { large_file_sha1: wholeSha1, author: 'ada' } } },
    });
    const startFile = started.data as B2File;
    const fileId = startFile.fileId ?? '';
    assert.equal(startFile.action, 'start');
    assert.match(fileId, /_f2[0-9a-f]{15}_/);

    const parts = [data.subarray(0, 1000), data.subarray(1000, 2000), data.subarray(2000)];
    const sha1s: string[] = [];
    for (const [i, chunk] of parts.entries()) {
      const url = (await b2.getUploadPartUrl({ fileId })).data as { uploadUrl: string; authorizationToken: string };
      const res = await b2.uploadPart({
        uploadUrl: url.uploadUrl,
        uploadAuthToken: url.authorizationToken,
        partNumber: i + 1,
        data: chunk,
        contentLength: chunk.length,
        hash: sha1Hex(chunk),
      });
      const uploaded = res.data as { partNumber: number; contentSha1: string; contentLength: number };
      assert.equal(uploaded.partNumber, i + 1);
      assert.equal(uploaded.contentLength, chunk.length);
      sha1s.push(uploaded.contentSha1);
    }
    const listed = (await b2.listParts({ fileId })).data as { parts: Array<{ partNumber: number }>; nextPartNumber: number | null };
    assert.deepEqual(listed.parts.map((p) => p.partNumber), [1, 2, 3]);
    assert.equal(listed.nextPartNumber, null);

    const inVersions = await raw.listVersions({ prefix: 'large/' });
    assert.deepEqual(inVersions.map((v) => v.action), ['start']);
    const names = await raw.call('b2_list_file_names', { bucketId, prefix: 'large/' });
    assert.deepEqual(names.json.files, []);

    const finished = (await b2.finishLargeFile({ fileId, partSha1Array: sha1s })).data as B2File;
    assert.equal(finished.action, 'upload');
    assert.equal(finished.contentLength, 2500);
    assert.equal(finished.contentSha1, 'none');
    assert.equal(finished.uploadTimestamp, startFile.uploadTimestamp);
    assert.deepEqual(finished.fileInfo, { large_file_sha1: wholeSha1, author: 'ada' });

    const down = await b2.downloadFileByName({ bucketName: local.bucket, fileName: 'large/app.db', responseType: 'arraybuffer' });
    assert.equal(Buffer.compare(Buffer.from(down.data as ArrayBuffer), data), 0);
    assert.equal(down.headers['x-bz-content-sha1'], 'none');
    assert.equal(down.headers['x-bz-info-large_file_sha1'], wholeSha1);

    const across = await raw.download('large/app.db', { Range: 'bytes=990-2010' });
    assert.equal(across.status, 206);
    assert.equal(Buffer.compare(Buffer.from(await across.arrayBuffer()), data.subarray(990, 2011)), 0);
  });

  it('refuses a part whose SHA-1 does not match, and part numbers out of range', async () => {
    const fileId = await start('large/bad-part');
    const res = await part(fileId, 1, randomBytes(1000), sha1Hex('other'));
    assert.equal(res.status, 400);
    assert.equal(res.json.code, 'bad_request');
    assert.equal((await part(fileId, 0, randomBytes(10))).status, 400);
    assert.equal((await part(fileId, 10001, randomBytes(10))).status, 400);
    const listed = await raw.call('b2_list_parts', { fileId });
    assert.deepEqual(listed.json.parts, []);
  });

  it('finish checks missing parts, the SHA-1 array, the part count and part sizes, with B2\'s codes', async () => {
    const c = randomBytes(1000);
    const gap = await start('large/gap');
    await part(gap, 1, c);
    await part(gap, 3, c);
    const missing = await finish(gap, [sha1Hex(c), sha1Hex(c)]);
    assert.deepEqual([missing.status, missing.json.code], [400, 'missing_part']);
    assert.match(missing.json.message as string, /Part number 2 /);

    const mismatch = await start('large/mismatch');
    await part(mismatch, 1, c);
    await part(mismatch, 2, c);
    for (const wrong of [[sha1Hex(c), sha1Hex('x')], [sha1Hex(c)], [sha1Hex(c), sha1Hex(c), sha1Hex(c)], [sha1Hex(c).slice(1), sha1Hex(c)]]) {
      const res = await finish(mismatch, wrong);
      assert.deepEqual([res.status, res.json.code], [400, 'part_sha1_mismatch'], JSON.stringify(wrong));
    }
    const notArray = await finish(mismatch, sha1Hex(c));
    assert.deepEqual([notArray.status, notArray.json.code], [400, 'bad_request']);

    const single = await start('large/single');
    await part(single, 1, c);
    const one = await finish(single, [sha1Hex(c)]);
    assert.deepEqual([one.status, one.json.code], [400, 'bad_request']);
    assert.match(one.json.message as string, /at least 2 parts/);
    const none = await finish(await start('large/none'), []);
    assert.deepEqual([none.status, none.json.code], [400, 'bad_request']);

    const small = await start('large/small-part');
    const a = randomBytes(MIN_PART - 1);
    await part(small, 1, a);
    await part(small, 2, c);
    const tooSmall = await finish(small, [sha1Hex(a), sha1Hex(c)]);
    assert.deepEqual([tooSmall.status, tooSmall.json.code], [400, 'bad_request']);
    assert.match(tooSmall.json.message as string, /minimum part size/);

    const emptyLast = await start('large/empty-last');
    await part(emptyLast, 1, c);
    await part(emptyLast, 2, Buffer.alloc(0));
    const empty = await finish(emptyLast, [sha1Hex(c), sha1Hex('')]);
    assert.deepEqual([empty.status, empty.json.code], [400, 'bad_request']);
    assert.match(empty.json.message as string, /at least 1 byte/);

    // The last part may be small; uploading a part number again replaces it; upper-case SHA-1s do.
    await part(mismatch, 2, randomBytes(5));
    const tail = randomBytes(7);
    await part(mismatch, 2, tail);
    const ok = await finish(mismatch, [sha1Hex(c).toUpperCase(), sha1Hex(tail)]);
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    assert.equal(ok.json.contentLength, 1007);
    const again = await finish(mismatch, [sha1Hex(c), sha1Hex(tail)]);
    assert.deepEqual([again.status, again.json.code], [400, 'bad_request']);
  });

  it('refuses a part body over 5 GB from its Content-Length, before reading it', async () => {
    const fileId = await start('large/huge-part');
    const url = (await raw.call('b2_get_upload_part_url', { fileId })).json as { uploadUrl: string; authorizationToken: string };
    const { port, pathname } = new URL(url.uploadUrl);
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect({ port: Number(port), host: '127.0.0.1' }, () => {
        socket.write(
          `POST ${pathname} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${url.authorizationToken}\r\n` +
            `X-Bz-Part-Number: 1\r\nX-Bz-Content-Sha1: do_not_verify\r\nContent-Length: 5000000001\r\n\r\n`,
        );
      });
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString();
        if (received.includes('}')) {
          socket.destroy();
          resolve(received);
        }
      });
      socket.on('error', reject);
    });
    assert.match(head, /^HTTP\/1\.1 400 /);
    assert.match(head, /"code":"bad_request"/);
    assert.match(head, /5 GB/);
  });

  it('lists and cancels unfinished large files; cancelling removes their parts', async () => {
    const b2 = await connectB2(local);
    const first = await start('unfinished/one');
    const second = await start('unfinished/two');
    await part(second, 1, randomBytes(1000));
    const listed = await raw.call('b2_list_unfinished_large_files', { bucketId: raw.bucketId, namePrefix: 'unfinished/' });
    assert.deepEqual((listed.json.files as B2File[]).map((f) => f.fileId), [first, second]);
    const paged = await raw.call('b2_list_unfinished_large_files', { bucketId: raw.bucketId, namePrefix: 'unfinished/', maxFileCount: 1 });
    assert.equal(paged.json.nextFileId, second);

    const cancelled = (await b2.cancelLargeFile({ fileId: second })).data as Record<string, unknown>;
    assert.deepEqual(cancelled, { accountId: local.server.accountId, bucketId: raw.bucketId, fileId: second, fileName: 'unfinished/two' });
    assert.deepEqual(await readdir(join(local.dataDir, 'parts')).then((d) => d.includes(second)), false);
    const after = await raw.call('b2_list_unfinished_large_files', { bucketId: raw.bucketId, namePrefix: 'unfinished/' });
    assert.deepEqual((after.json.files as B2File[]).map((f) => f.fileId), [first]);
    const again = await b2.cancelLargeFile({ fileId: second }).catch((e: unknown) => e);
    assert.equal(b2ErrorOf(again).status, 400);
    assert.equal((await raw.call('b2_get_upload_part_url', { fileId: second })).status, 400);
  });

  it('b2_copy_part builds parts from byte ranges of an existing file', async () => {
    const source = randomBytes(3000);
    const uploaded = await raw.upload('copy/source.bin', source);
    const sourceId = uploaded.json.fileId as string;
    const target = await start('copy/target.bin');
    const p1 = await raw.copyPart(sourceId, target, 1, 'bytes=1000-2499');
    assert.equal(p1.status, 200, JSON.stringify(p1.json));
    assert.deepEqual(Object.keys(p1.json).sort(), ['contentLength', 'contentSha1', 'fileId', 'partNumber', 'serverSideEncryption', 'uploadTimestamp']);
    assert.equal(p1.json.fileId, target);
    assert.equal(p1.json.partNumber, 1);
    assert.equal(p1.json.contentLength, 1500);
    assert.equal(p1.json.contentSha1, sha1Hex(source.subarray(1000, 2500)));
    const p2 = await raw.copyPart(sourceId, target, 2, 'bytes=2999-2999');
    assert.equal(p2.json.contentLength, 1);
    const listed = await raw.call('b2_list_parts', { fileId: target });
    assert.deepEqual((listed.json.parts as Array<{ contentSha1: string }>).map((p) => p.contentSha1), [p1.json.contentSha1, p2.json.contentSha1]);
    const done = await finish(target, [p1.json.contentSha1, p2.json.contentSha1]);
    assert.equal(done.status, 200);
    const body = Buffer.from(await (await raw.download('copy/target.bin')).arrayBuffer());
    assert.ok(body.equals(Buffer.concat([source.subarray(1000, 2500), source.subarray(2999)])), 'the parts in order');

    const whole = await start('copy/whole.bin');
    const all = await raw.copyPart(sourceId, whole, 1);
    assert.equal(all.json.contentLength, 3000);
    assert.equal(all.json.contentSha1, sha1Hex(source));
    // A part number copied again replaces the earlier part, uploaded or copied.
    await part(whole, 2, randomBytes(10));
    const replaced = await raw.copyPart(sourceId, whole, 2, 'bytes=0-99');
    const parts = (await raw.call('b2_list_parts', { fileId: whole })).json.parts as Array<{ partNumber: number; contentLength: number }>;
    assert.deepEqual(parts.map((p) => [p.partNumber, p.contentLength]), [[1, 3000], [2, 100]]);
    assert.equal((await finish(whole, [all.json.contentSha1, replaced.json.contentSha1])).status, 200);
  });

  it('b2_copy_part refuses bad ranges, part numbers, sources and targets as B2 does', async () => {
    const source = randomBytes(3000);
    const sourceId = (await raw.upload('copy-bad/source.bin', source)).json.fileId as string;
    const target = await start('copy-bad/target.bin');
    const expect = async (body: Record<string, unknown>, status: number, code: string): Promise<void> => {
      const res = await raw.call('b2_copy_part', { sourceFileId: sourceId, largeFileId: target, partNumber: 1, ...body });
      assert.deepEqual([res.status, res.json.code], [status, code], JSON.stringify(body));
    };
    for (const range of ['0-10', 'bytes=5-', 'bytes=-5', 'bytes=1-2,4-5', 'items=0-1']) await expect({ range }, 400, 'bad_request');
    await expect({ range: 'bytes=10-5' }, 416, 'range_not_satisfiable');
    await expect({ range: 'bytes=0-3000' }, 416, 'range_not_satisfiable'); // one past the last byte: never clipped
    await expect({ range: 'bytes=3000-3000' }, 416, 'range_not_satisfiable');
    await expect({ range: 'bytes=0-5000000000' }, 400, 'bad_request'); // 5 GB + 1 byte
    for (const partNumber of [0, 10001, 1.5, -1]) await expect({ partNumber }, 400, 'bad_request');
    await expect({ partNumber: undefined }, 400, 'bad_request');
    await expect({ sourceFileId: sourceId.replace(/_f1/, '_f2') }, 400, 'file_not_present');

    const unfinished = await start('copy-bad/unfinished');
    await part(unfinished, 1, randomBytes(1000));
    await expect({ sourceFileId: unfinished }, 400, 'bad_request');
    await raw.upload('copy-bad/hidden', Buffer.from('x'));
    const marker = await raw.call('b2_hide_file', { bucketId: raw.bucketId, fileName: 'copy-bad/hidden' });
    await expect({ sourceFileId: marker.json.fileId }, 400, 'bad_request');
    const finished = await raw.buildLargeFile('copy-bad/finished', [{ copy: sourceId, range: 'bytes=0-999' }, { copy: sourceId, range: 'bytes=0-9' }]);
    await expect({ largeFileId: finished }, 400, 'bad_request');
    assert.deepEqual((await raw.call('b2_list_parts', { fileId: target })).json.parts, []);
  });

  it('b2_copy_part copies from another bucket of the account when the key may read it', async () => {
    const other = await RawClient.open({ ...local, bucket: 'other-bucket' });
    const source = randomBytes(1500);
    const sourceId = (await other.upload('elsewhere/source.bin', source)).json.fileId as string;
    const fileId = await raw.buildLargeFile('copy-cross/target.bin', [{ copy: sourceId }, { upload: Buffer.from('tail') }]);
    assert.ok(Buffer.from(await (await raw.downloadById(fileId)).arrayBuffer()).equals(Buffer.concat([source, Buffer.from('tail')])), 'copied across buckets');

    const restricted = await RawClient.open(local, 'demo-only', 'demo-secret');
    const target = await restricted.startLargeFile('copy-cross/restricted.bin');
    const refused = await restricted.copyPart(sourceId, target, 1);
    assert.deepEqual([refused.status, refused.json.code], [401, 'unauthorized']);
  });

  it('b2_list_unfinished_large_files pages from startFileId and ends past the last', async () => {
    const ids = [await start('paging/a'), await start('paging/b'), await start('paging/c')];
    const page = async (body: Record<string, unknown>): Promise<{ ids: string[]; next: unknown }> => {
      const res = await raw.call('b2_list_unfinished_large_files', { bucketId: raw.bucketId, namePrefix: 'paging/', ...body });
      return { ids: (res.json.files as B2File[]).map((f) => f.fileId ?? ''), next: res.json.nextFileId };
    };
    assert.deepEqual(await page({ maxFileCount: 2 }), { ids: ids.slice(0, 2), next: ids[2] });
    assert.deepEqual(await page({ startFileId: ids[2] }), { ids: ids.slice(2), next: null });
    assert.deepEqual(await page({ startFileId: `${ids[2]}~` }), { ids: [], next: null });
    const tooMany = await raw.call('b2_list_unfinished_large_files', { bucketId: raw.bucketId, maxFileCount: 101 });
    assert.equal(tooMany.status, 400);
  });
});
