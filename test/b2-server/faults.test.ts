import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { withLocalB2, type LocalB2 } from '../support/local-b2';
import { chunksOf, RawClient, sha1Hex } from './raw-api';

/** Reads a response body as far as the server sends it. */
async function readAll(res: Response): Promise<{ bytes: Buffer; error?: unknown }> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of chunksOf(res)) chunks.push(Buffer.from(chunk));
    return { bytes: Buffer.concat(chunks) };
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

describe('local B2 server: fault injection', () => {
  let local: LocalB2;
  let raw: RawClient;
  const data = randomBytes(10_000);
  before(async () => {
    local = await withLocalB2();
    raw = await RawClient.open(local);
    await raw.upload('fault/file.bin', data);
  });
  beforeEach(() => {
    local.server.faults.clear();
    local.server.requests.clear();
  });
  after(() => local.close());

  it('answers 503 service_unavailable for the next matching call only', async () => {
    local.server.faults.serviceUnavailable('b2_list_file_versions');
    const failed = await raw.call('b2_list_file_versions', { bucketId: raw.bucketId });
    assert.equal(failed.status, 503);
    assert.equal(failed.json.code, 'service_unavailable');
    assert.ok(failed.headers.get('date'));
    const other = await raw.call('b2_list_file_names', { bucketId: raw.bucketId });
    assert.equal(other.status, 200);
    const retried = await raw.call('b2_list_file_versions', { bucketId: raw.bucketId });
    assert.equal(retried.status, 200);
    assert.deepEqual(
      local.server.requests.of('b2_list_file_versions').map((r) => [r.status, r.fault]),
      [
        [503, 'error'],
        [200, undefined],
      ],
    );
  });

  it('answers 429 too_many_requests with Retry-After, as many times as asked', async () => {
    local.server.faults.tooManyRequests('b2_get_upload_url', 2, 2);
    for (let i = 0; i < 2; i++) {
      const res = await raw.call('b2_get_upload_url', { bucketId: raw.bucketId });
      assert.equal(res.status, 429);
      assert.equal(res.json.code, 'too_many_requests');
      assert.equal(res.headers.get('retry-after'), '2');
    }
    assert.deepEqual(local.server.faults.pending(), []);
    assert.equal((await raw.call('b2_get_upload_url', { bucketId: raw.bucketId })).status, 200);
  });

  it('answers 401 expired_auth_token', async () => {
    local.server.faults.expiredToken('b2_upload_file');
    const failed = await raw.upload('fault/expired.txt', Buffer.from('x'));
    assert.equal(failed.status, 401);
    assert.equal(failed.json.code, 'expired_auth_token');
    assert.equal((await raw.upload('fault/expired.txt', Buffer.from('x'))).status, 200);
  });

  it('delays a call', async () => {
    local.server.faults.delay('b2_list_file_names', 300);
    const started = Date.now();
    assert.equal((await raw.call('b2_list_file_names', { bucketId: raw.bucketId })).status, 200);
    assert.ok(Date.now() - started >= 290);
  });

  it('cuts the connection of an API call', async () => {
    local.server.faults.disconnect('b2_list_file_names');
    await assert.rejects(raw.call('b2_list_file_names', { bucketId: raw.bucketId }));
    assert.equal(local.server.requests.of('b2_list_file_names')[0]?.status, 0);
  });

  it('cuts an upload mid-body: nothing is stored and no temp file remains', async () => {
    local.server.faults.disconnect('b2_upload_file', 4096);
    await assert.rejects(raw.upload('fault/cut-upload.bin', randomBytes(200_000)));
    assert.deepEqual(await raw.listVersions({ prefix: 'fault/cut-upload' }), []);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await readdir(join(local.dataDir, 'tmp')), []);
    assert.equal(local.server.requests.of('b2_upload_file')[0]?.status, 0);
  });

  it('cuts a download after N bytes', async () => {
    local.server.faults.disconnect('download', 500);
    const res = await raw.download('fault/file.bin');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), '10000');
    const { bytes, error } = await readAll(res);
    assert.ok(error, 'the body read fails');
    assert.ok(bytes.length <= 500);
    assert.equal(Buffer.compare(bytes, data.subarray(0, bytes.length)), 0);
    const whole = await readAll(await raw.download('fault/file.bin'));
    assert.equal(whole.bytes.length, 10_000);
  });

  it('serves a corrupted byte under the right SHA-1 header', async () => {
    local.server.faults.corruptDownload(1, 1234);
    const fileId = (await raw.listVersions({ prefix: 'fault/file.bin' }))[0]?.fileId as string;
    const res = await raw.downloadById(fileId);
    const { bytes } = await readAll(res);
    assert.equal(bytes.length, data.length);
    assert.equal(res.headers.get('x-bz-content-sha1'), sha1Hex(data));
    assert.notEqual(sha1Hex(bytes), sha1Hex(data));
    assert.notEqual(bytes[1234], data[1234]);
    assert.equal(Buffer.compare(bytes.subarray(0, 1234), data.subarray(0, 1234)), 0);
  });

  it('serves a wrong X-Bz-Content-Sha1 header with the right bytes', async () => {
    local.server.faults.wrongSha1Header();
    const res = await raw.download('fault/file.bin');
    const { bytes } = await readAll(res);
    assert.equal(sha1Hex(bytes), sha1Hex(data));
    assert.notEqual(res.headers.get('x-bz-content-sha1'), sha1Hex(data));
    assert.match(res.headers.get('x-bz-content-sha1') ?? '', /^[0-9a-f]{40}$/);
  });

  it('matches any call with "*" and keeps rules in order', async () => {
    local.server.faults.add({ call: '*', kind: 'error', status: 500, code: 'internal_error' });
    local.server.faults.serviceUnavailable('b2_list_file_names');
    assert.equal((await raw.call('b2_list_file_names', { bucketId: raw.bucketId })).status, 500);
    assert.equal((await raw.call('b2_list_file_names', { bucketId: raw.bucketId })).status, 503);
    assert.equal((await raw.call('b2_list_file_names', { bucketId: raw.bucketId })).status, 200);
  });

  it('is reachable over HTTP for tests in other processes', async () => {
    const control = `${local.endpoint}/__b2m_test`;
    const added = await fetch(`${control}/faults`, {
      method: 'POST',
      body: JSON.stringify({ rules: [{ call: 'b2_hide_file', kind: 'error', status: 503, code: 'service_unavailable', times: 2 }] }),
    });
    assert.equal(added.status, 200);
    assert.equal(((await added.json()) as { pending: unknown[] }).pending.length, 1);
    const hide = await raw.call('b2_hide_file', { bucketId: raw.bucketId, fileName: 'fault/file.bin' });
    assert.equal(hide.status, 503);

    const requests = (await (await fetch(`${control}/requests`)).json()) as { requests: Array<{ call: string; status: number }> };
    assert.deepEqual(requests.requests.filter((r) => r.call === 'b2_hide_file').map((r) => r.status), [503]);
    assert.equal((await fetch(`${control}/faults`, { method: 'DELETE' })).status, 200);
    assert.deepEqual(local.server.faults.pending(), []);

    const invalid = await fetch(`${control}/faults`, { method: 'POST', body: JSON.stringify({ call: 'x', kind: 'explode' }) });
    assert.equal(invalid.status, 400);

    const clock = await fetch(`${control}/clock`, { method: 'POST', body: JSON.stringify({ offsetMs: -60_000 }) });
    assert.equal(clock.status, 200);
    assert.equal(local.server.clock.offsetMs, -60_000);
    await fetch(`${control}/clock`, { method: 'POST', body: JSON.stringify({ offsetMs: 0 }) });

    assert.equal((await fetch(`${control}/expire-tokens`, { method: 'POST' })).status, 200);
    const expired = await raw.call('b2_list_file_names', { bucketId: raw.bucketId });
    assert.equal(expired.json.code, 'expired_auth_token');
    raw = await RawClient.open(local);
  });
});

describe('local B2 server: closing', () => {
  it('closes promptly even with a delayed request in flight', async () => {
    const local = await withLocalB2();
    const raw = await RawClient.open(local);
    local.server.faults.delay('b2_list_file_names', 60_000);
    const pending = raw.call('b2_list_file_names', { bucketId: raw.bucketId }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await local.close();
    assert.ok(Date.now() - started < 2000);
    assert.ok((await pending) instanceof Error);
  });
});
