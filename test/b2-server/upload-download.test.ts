import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { withLocalB2, type LocalB2 } from '../support/local-b2';
import { b2ErrorOf, bucketIdOf, connect, upload, type B2File } from './b2-client';
import { chunksOf, RawClient, sha1Hex } from './raw-api';

/** Sends an upload through node:http so the test controls when the body's halves go out. */
function slowUpload(
  url: { uploadUrl: string; authorizationToken: string },
  fileName: string,
  data: Buffer,
  pauseMs: number,
): Promise<B2File> {
  return new Promise((resolve, reject) => {
    const req = request(url.uploadUrl, {
      method: 'POST',
      headers: {
        Authorization: url.authorizationToken,
        'X-Bz-File-Name': fileName,
        'Content-Type': 'text/plain',
        'Content-Length': data.length,
        'X-Bz-Content-Sha1': sha1Hex(data),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as B2File));
    });
    req.on('error', reject);
    req.flushHeaders();
    req.write(data.subarray(0, 1));
    setTimeout(() => req.end(data.subarray(1)), pauseMs);
  });
}

describe('local B2 server: uploads and downloads', () => {
  let local: LocalB2;
  let raw: RawClient;
  before(async () => {
    local = await withLocalB2();
    raw = await RawClient.open(local);
  });
  after(() => local.close());

  it('round-trips binary content byte-exact through backblaze-b2 (by name and by id)', async () => {
    const b2 = await connect(local);
    const bucketId = await bucketIdOf(b2, local.bucket);
    const data = randomBytes(1024 * 1024 + 7);
    const file = await upload(b2, bucketId, 'dbs/app.db', data, { parent: 'none', author: 'Zoë + Ada' });
    assert.equal(file.action, 'upload');
    assert.equal(file.contentLength, data.length);
    assert.equal(file.contentSha1, sha1Hex(data));
    assert.equal(file.contentType, 'application/x-sqlite3');
    assert.deepEqual(file.fileInfo, { parent: 'none', author: 'Zoë + Ada' });
    assert.match(file.fileId ?? '', /^4_z[0-9a-f]{24}_f1[0-9a-f]{15}_d\d{8}_m\d{6}_c000_v0001000_t0001$/);

    const byName = await b2.downloadFileByName({ bucketName: local.bucket, fileName: 'dbs/app.db', responseType: 'arraybuffer' });
    assert.equal(Buffer.compare(Buffer.from(byName.data as ArrayBuffer), data), 0);
    assert.equal(byName.headers['x-bz-file-id'], file.fileId);
    assert.equal(byName.headers['x-bz-file-name'], 'dbs/app.db');
    assert.equal(byName.headers['x-bz-content-sha1'], sha1Hex(data));
    assert.equal(byName.headers['x-bz-upload-timestamp'], String(file.uploadTimestamp));
    assert.equal(byName.headers['x-bz-info-author'], 'Zo%C3%AB%20%2B%20Ada');
    assert.equal(byName.headers['content-length'], String(data.length));
    assert.equal(byName.headers['content-type'], 'application/x-sqlite3');
    assert.ok(byName.headers.date);

    const byId = await b2.downloadFileById({ fileId: file.fileId ?? '', responseType: 'arraybuffer' });
    assert.equal(Buffer.compare(Buffer.from(byId.data as ArrayBuffer), data), 0);
  });

  it('decodes percent-encoded names and returns them encoded', async () => {
    const name = 'odd names/a b+c%d é😀.txt';
    const res = await raw.upload(name, Buffer.from('x'));
    assert.equal(res.status, 200);
    assert.equal(res.json.fileName, name);
    const down = await raw.download(name);
    assert.equal(down.status, 200);
    assert.equal(decodeURIComponent(down.headers.get('x-bz-file-name') ?? ''), name);
    assert.equal(await down.text(), 'x');
  });

  it('verifies X-Bz-Content-Sha1: a wrong one is refused and nothing is stored', async () => {
    const res = await raw.upload('sha/wrong.txt', Buffer.from('data'), { 'X-Bz-Content-Sha1': sha1Hex('other') });
    assert.equal(res.status, 400);
    assert.equal(res.json.code, 'bad_request');
    assert.match(res.json.message as string, /sha1/i);
    assert.deepEqual(await raw.listVersions({ prefix: 'sha/' }), []);
    const malformed = await raw.upload('sha/bad.txt', Buffer.from('data'), { 'X-Bz-Content-Sha1': 'xyz' });
    assert.equal(malformed.status, 400);
  });

  it('supports hex_digits_at_end (checked) and do_not_verify (stored as unverified:)', async () => {
    const content = Buffer.from('payload with trailing sha1');
    const atEnd = await raw.upload('sha/at-end.txt', Buffer.concat([content, Buffer.from(sha1Hex(content))]), {
      'X-Bz-Content-Sha1': 'hex_digits_at_end',
    });
    assert.equal(atEnd.status, 200);
    assert.equal(atEnd.json.contentLength, content.length);
    assert.equal(atEnd.json.contentSha1, sha1Hex(content));
    assert.equal(await (await raw.download('sha/at-end.txt')).text(), content.toString());

    const badEnd = await raw.upload('sha/bad-end.txt', Buffer.concat([content, Buffer.from(sha1Hex('nope'))]), {
      'X-Bz-Content-Sha1': 'hex_digits_at_end',
    });
    assert.equal(badEnd.status, 400);

    const unverified = await raw.upload('sha/unverified.txt', content, { 'X-Bz-Content-Sha1': 'do_not_verify' });
    assert.equal(unverified.status, 200);
    assert.equal(unverified.json.contentSha1, `unverified:${sha1Hex(content)}`);
  });

  it('checks file info: at most 10 keys, valid characters, reserved b2- keys, 7000 bytes', async () => {
    const info = (n: number): Record<string, string> =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`X-Bz-Info-k${i}`, 'v']));
    assert.equal((await raw.upload('info/ten.txt', Buffer.from('x'), info(10))).status, 200);
    assert.equal((await raw.upload('info/eleven.txt', Buffer.from('x'), info(11))).status, 400);
    assert.equal((await raw.upload('info/reserved.txt', Buffer.from('x'), { 'X-Bz-Info-b2-secret': 'v' })).status, 400);
    assert.equal((await raw.upload('info/big.txt', Buffer.from('x'), { 'X-Bz-Info-big': 'v'.repeat(7000) })).status, 400);
    const special = await raw.upload('info/special.txt', Buffer.from('x'), { 'X-Bz-Info-b2-content-disposition': 'attachment' });
    assert.equal(special.status, 200);
    assert.equal((await raw.download('info/special.txt')).headers.get('content-disposition'), 'attachment');
  });

  it('refuses bad names and uploads without Content-Length', async () => {
    for (const name of ['/lead', 'trail/', 'a//b', 'ctl\u0001', 'x'.repeat(1025)]) {
      const res = await raw.upload(name, Buffer.from('x'));
      assert.equal(res.status, 400, name);
    }
    const url = await raw.uploadUrl();
    const chunked = await fetch(url.uploadUrl, {
      method: 'POST',
      headers: { Authorization: url.authorizationToken, 'X-Bz-File-Name': 'chunked', 'Content-Type': 'text/plain', 'X-Bz-Content-Sha1': 'do_not_verify' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('abc'));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 400);
    assert.match(((await chunked.json()) as { message: string }).message, /Content-Length/);
  });

  it('serves ranges with 206 and Content-Range, suffix ranges, and 416 beyond the end', async () => {
    const data = randomBytes(1000);
    await raw.upload('range/file.bin', data);
    const mid = await raw.download('range/file.bin', { Range: 'bytes=100-199' });
    assert.equal(mid.status, 206);
    assert.equal(mid.headers.get('content-range'), 'bytes 100-199/1000');
    assert.equal(mid.headers.get('content-length'), '100');
    assert.equal(mid.headers.get('x-bz-content-sha1'), sha1Hex(data));
    assert.equal(Buffer.compare(Buffer.from(await mid.arrayBuffer()), data.subarray(100, 200)), 0);

    const open = await raw.download('range/file.bin', { Range: 'bytes=990-' });
    assert.equal(Buffer.compare(Buffer.from(await open.arrayBuffer()), data.subarray(990)), 0);
    const suffix = await raw.download('range/file.bin', { Range: 'bytes=-5' });
    assert.equal(suffix.headers.get('content-range'), 'bytes 995-999/1000');
    const clamped = await raw.download('range/file.bin', { Range: 'bytes=900-5000' });
    assert.equal(clamped.headers.get('content-range'), 'bytes 900-999/1000');
    await clamped.arrayBuffer();

    const beyond = await raw.download('range/file.bin', { Range: 'bytes=1000-1001' });
    assert.equal(beyond.status, 416);
    assert.equal(((await beyond.json()) as { code: string }).code, 'range_not_satisfiable');
  });

  it('answers HEAD with headers only, and 404 not_found for missing names and ids', async () => {
    await raw.upload('head/file.txt', Buffer.from('12345'));
    const head = await raw.download('head/file.txt', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '5');
    const missing = await raw.download('head/none.txt');
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { code: string }).code, 'not_found');
    const missingId = await raw.downloadById('4_zffffffffffffffffffffffff_f1000000000000001_d20240101_m000000_c000_v0001000_t0001');
    assert.equal(missingId.status, 404);
  });

  it('stamps uploadTimestamp when the upload starts, before the body arrives', async () => {
    const url = await raw.uploadUrl();
    const otherUrl = await raw.uploadUrl();
    const before = Date.now();
    const slow = slowUpload(url, 'ts/race.txt', Buffer.from('slow body'), 400);
    await new Promise((r) => setTimeout(r, 150));
    const fast = await slowUpload(otherUrl, 'ts/race.txt', Buffer.from('fast body'), 0);
    const slowFile = await slow;
    const afterAll = Date.now();
    assert.ok(slowFile.uploadTimestamp >= before - 1000 && slowFile.uploadTimestamp < fast.uploadTimestamp);
    assert.ok(fast.uploadTimestamp <= afterAll);
    // The slow upload finished last but started first: it is the older version.
    const versions = await raw.listVersions({ prefix: 'ts/' });
    assert.deepEqual(versions.map((v) => v.fileId), [fast.fileId, slowFile.fileId]);
    assert.ok((slowFile.fileId ?? '') < (fast.fileId ?? ''), 'ids sort in upload-start order');
    assert.equal(await (await raw.download('ts/race.txt')).text(), 'fast body');
  });

  it('streams a larger file in and out (20 MB) with matching SHA-1', async () => {
    const data = randomBytes(20 * 1024 * 1024);
    const res = await raw.upload('big/stream.bin', data);
    assert.equal(res.status, 200);
    const down = await raw.download('big/stream.bin');
    const hash = createHash('sha1');
    let size = 0;
    for await (const chunk of chunksOf(down)) {
      hash.update(chunk);
      size += chunk.length;
    }
    assert.equal(size, data.length);
    assert.equal(hash.digest('hex'), sha1Hex(data));
  });

  it('ends a download whose client went away, then serves concurrent downloads byte-exact', async () => {
    const data = randomBytes(24 * 1024 * 1024 + 3);
    assert.equal((await raw.upload('big/dropped.bin', data)).status, 200);
    local.server.requests.clear();
    await new Promise<void>((resolve, reject) => {
      const req = request(`${local.endpoint}/file/${local.bucket}/big/dropped.bin`, { headers: { Authorization: raw.token } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', reject);
      req.end();
    });
    for (let waited = 0; local.server.requests.of('download', 0).length === 0; waited += 10) {
      assert.ok(waited < 5000, 'the server is still sending to a client that went away');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const from = 1024 * 1024 - 1; // not on a chunk boundary
    const [tail, whole] = await Promise.all([raw.download('big/dropped.bin', { Range: `bytes=${from}-` }), raw.download('big/dropped.bin')]);
    assert.ok(Buffer.from(await tail.arrayBuffer()).equals(data.subarray(from)));
    assert.ok(Buffer.from(await whole.arrayBuffer()).equals(data));
  });

  it('reports backblaze-b2 errors as B2 JSON', async () => {
    const b2 = await connect(local);
    const failed = await b2.getFileInfo({ fileId: 'nope' }).catch((e: unknown) => e);
    assert.deepEqual(Object.keys(b2ErrorOf(failed)).sort(), ['code', 'message', 'status']);
    assert.equal(b2ErrorOf(failed).code, 'not_found');
  });
});
