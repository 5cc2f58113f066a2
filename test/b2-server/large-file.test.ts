import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withLocalB2, type LocalB2 } from '../support/local-b2';
import { b2ErrorOf, bucketIdOf, connect, type B2File } from './b2-client';
import { bodyOf, RawClient, sha1Hex } from './raw-api';

const MIN_PART = 1000;

describe('local B2 server: large files', () => {
  let local: LocalB2;
  let raw: RawClient;
  before(async () => {
    local = await withLocalB2({ minimumPartSize: MIN_PART });
    raw = await RawClient.open(local);
  });
  after(() => local.close());

  async function start(fileName: string, fileInfo: Record<string, string> = {}): Promise<string> {
    const res = await raw.call('b2_start_large_file', { bucketId: raw.bucketId, fileName, contentType: 'b2/x-auto', fileInfo });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    return res.json.fileId as string;
  }

  async function part(fileId: string, partNumber: number, data: Buffer, sha1 = sha1Hex(data)): Promise<Response> {
    const url = (await raw.call('b2_get_upload_part_url', { fileId })).json as { uploadUrl: string; authorizationToken: string };
    return fetch(url.uploadUrl, {
      method: 'POST',
      headers: { Authorization: url.authorizationToken, 'X-Bz-Part-Number': String(partNumber), 'X-Bz-Content-Sha1': sha1 },
      body: bodyOf(data),
    });
  }

  it('start, parts, finish through backblaze-b2; downloads whole and across part boundaries', async () => {
    const b2 = await connect(local);
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
    assert.equal(((await res.json()) as { code: string }).code, 'bad_request');
    assert.equal((await part(fileId, 0, randomBytes(10))).status, 400);
    assert.equal((await part(fileId, 10001, randomBytes(10))).status, 400);
    const listed = await raw.call('b2_list_parts', { fileId });
    assert.deepEqual(listed.json.parts, []);
  });

  it('finish checks part sizes, missing parts, the SHA-1 array and the part count', async () => {
    const small = await start('large/small-part');
    const a = randomBytes(999);
    const b = randomBytes(1000);
    await part(small, 1, a);
    await part(small, 2, b);
    const tooSmall = await raw.call('b2_finish_large_file', { fileId: small, partSha1Array: [sha1Hex(a), sha1Hex(b)] });
    assert.equal(tooSmall.status, 400);
    assert.match(tooSmall.json.message as string, /minimum part size/);

    const gap = await start('large/gap');
    const c = randomBytes(1000);
    await part(gap, 1, c);
    await part(gap, 3, c);
    const missing = await raw.call('b2_finish_large_file', { fileId: gap, partSha1Array: [sha1Hex(c), sha1Hex(c)] });
    assert.equal(missing.status, 400);

    const mismatch = await start('large/mismatch');
    await part(mismatch, 1, c);
    await part(mismatch, 2, c);
    const wrong = await raw.call('b2_finish_large_file', { fileId: mismatch, partSha1Array: [sha1Hex(c), sha1Hex('x')] });
    assert.equal(wrong.status, 400);
    const short = await raw.call('b2_finish_large_file', { fileId: mismatch, partSha1Array: [sha1Hex(c)] });
    assert.equal(short.status, 400);

    const single = await start('large/single');
    await part(single, 1, c);
    const one = await raw.call('b2_finish_large_file', { fileId: single, partSha1Array: [sha1Hex(c)] });
    assert.equal(one.status, 400);
    assert.match(one.json.message as string, /at least 2 parts/);

    // The last part may be small; re-uploading a part number replaces it.
    await part(mismatch, 2, randomBytes(5));
    const tail = randomBytes(7);
    await part(mismatch, 2, tail);
    const ok = await raw.call('b2_finish_large_file', { fileId: mismatch, partSha1Array: [sha1Hex(c), sha1Hex(tail)] });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    assert.equal(ok.json.contentLength, 1007);
  });

  it('lists and cancels unfinished large files; cancelling removes their parts', async () => {
    const b2 = await connect(local);
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
    const p1 = await raw.call('b2_copy_part', { sourceFileId: sourceId, largeFileId: target, partNumber: 1, range: 'bytes=1000-2499' });
    assert.equal(p1.status, 200, JSON.stringify(p1.json));
    assert.equal(p1.json.contentLength, 1500);
    assert.equal(p1.json.contentSha1, sha1Hex(source.subarray(1000, 2500)));
    const p2 = await raw.call('b2_copy_part', { sourceFileId: sourceId, largeFileId: target, partNumber: 2, range: 'bytes=0-9' });
    const done = await raw.call('b2_finish_large_file', { fileId: target, partSha1Array: [p1.json.contentSha1, p2.json.contentSha1] });
    assert.equal(done.status, 200);
    const body = Buffer.from(await (await raw.download('copy/target.bin')).arrayBuffer());
    assert.equal(Buffer.compare(body, Buffer.concat([source.subarray(1000, 2500), source.subarray(0, 10)])), 0);

    const whole = await start('copy/whole.bin');
    const all = await raw.call('b2_copy_part', { sourceFileId: sourceId, largeFileId: whole, partNumber: 1 });
    assert.equal(all.json.contentLength, 3000);
    const badSource = await raw.call('b2_copy_part', { sourceFileId: 'nope', largeFileId: whole, partNumber: 2 });
    assert.equal(badSource.status, 400);
  });
});
