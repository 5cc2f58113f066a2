import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { CancelledError } from '../../../../src/core/errors';
import { TransportError } from '../../../../src/core/store/b2/transport-error';
import { BlockPool } from '../../../../src/core/store/download/block-pool';
import { HttpGet } from '../../../../src/core/store/download/http-get';
import { withLocalB2, type LocalB2 } from '../../../support/local-b2';
import { bucketIdOf, connect, upload, type FullB2 } from '../../../b2-server/b2-client';

const KiB = 1024;

describe('HttpGet reads download answers into reused blocks', () => {
  let local: LocalB2;
  let b2: FullB2;
  let data: Buffer;
  let fileId: string;
  before(async () => {
    local = await withLocalB2();
    b2 = await connect(local);
    data = randomBytes(3 * 1024 * KiB + 17);
    const file = await upload(b2, await bucketIdOf(b2, local.bucket), 'get/body.bin', data);
    fileId = file.fileId ?? '';
  });
  afterEach(() => {
    local.server.faults.clear();
  });
  after(() => local.close());

  /** A GET of the uploaded file with the token and download URL that backblaze-b2 got. */
  const get = (pool: BlockPool, headers: Record<string, string> = {}, signal?: AbortSignal, idleTimeoutMs = 10_000): Promise<HttpGet> =>
    HttpGet.open(
      {
        url: new URL(`${b2.downloadUrl ?? ''}/b2api/v2/b2_download_file_by_id?fileId=${encodeURIComponent(fileId)}`),
        headers: { Authorization: b2.authorizationToken ?? '', ...headers },
      },
      pool,
      signal,
      idleTimeoutMs,
    );

  /** Every block of the pool is free again. */
  const assertAllFree = (pool: BlockPool, limit: number): void => {
    const taken = Array.from({ length: limit }, () => pool.take());
    assert.ok(taken.every((block) => block !== undefined));
    assert.equal(pool.take(), undefined);
  };

  it('drops a connection on which nothing arrives, as a timeout worth a retry', async () => {
    local.server.faults.delay('download', 5_000);
    const started = performance.now();
    await assert.rejects(get(new BlockPool(64 * KiB, 2), {}, undefined, 300), (e: unknown) => e instanceof TransportError && e.kind === 'timeout');
    assert.ok(performance.now() - started < 3_000, 'it did not wait for the answer');
  });

  it('does not time out while it holds the socket paused for want of a free block', async () => {
    const pool = new BlockPool(64 * KiB, 1);
    const response = await get(pool, {}, undefined, 200);
    const received: Buffer[] = [];
    let first = true;
    await response.readBody((bytes, release) => {
      received.push(Buffer.from(bytes));
      // The only block comes back after three idle timeouts' worth of time, once.
      setTimeout(release, first ? 600 : 0);
      first = false;
      return true;
    });
    assert.ok(Buffer.concat(received).equals(data));
  });

  it('delivers the body byte-exact through two small blocks given back late, pausing the socket meanwhile', async () => {
    const pool = new BlockPool(64 * KiB, 2);
    const response = await get(pool);
    assert.equal(response.status, 200);
    assert.equal(response.contentLength, data.length);
    assert.equal(response.headers['x-bz-file-id'], fileId);
    const received: Buffer[] = [];
    let outstanding = 0;
    let mostOutstanding = 0;
    await response.readBody((bytes, release) => {
      received.push(Buffer.from(bytes));
      mostOutstanding = Math.max(mostOutstanding, ++outstanding);
      setTimeout(() => {
        outstanding--;
        release();
      }, 1);
      return true;
    });
    assert.ok(Buffer.concat(received).equals(data));
    assert.ok(mostOutstanding <= 2);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assertAllFree(pool, 2);
  });

  it('serves a range and drops the connection once the consumer has enough', async () => {
    const pool = new BlockPool(64 * KiB, 4);
    const response = await get(pool, { Range: 'bytes=1000-' });
    assert.equal(response.status, 206);
    assert.equal(response.headers['content-range'], `bytes 1000-${data.length - 1}/${data.length}`);
    const received: Buffer[] = [];
    await response.readBody((bytes, release) => {
      received.push(Buffer.from(bytes));
      release();
      return received.length < 3;
    });
    const prefix = Buffer.concat(received);
    assert.ok(prefix.length >= 3 * KiB && prefix.length < data.length - 1000);
    assert.ok(prefix.equals(data.subarray(1000, 1000 + prefix.length)));
    assertAllFree(pool, 4);
  });

  it('reads the JSON body of an error answer', async () => {
    const response = await get(new BlockPool(64 * KiB, 1), { Authorization: 'not-a-token' });
    assert.equal(response.status, 401);
    const body = JSON.parse((await response.readAll(64 * KiB)).toString('utf8')) as { code: string };
    assert.equal(body.code, 'bad_auth_token');
  });

  it('rejects a body cut short with a code the session retries', async () => {
    local.server.faults.disconnect('download', 100 * KiB);
    const response = await get(new BlockPool(64 * KiB, 4));
    let received = 0;
    await assert.rejects(
      response.readBody((bytes, release) => {
        received += bytes.length;
        release();
        return true;
      }),
      (error: unknown) => error instanceof TransportError && error.kind === 'reset',
    );
    assert.ok(received <= 100 * KiB);
  });

  it('stops on abort with a CancelledError, every block back in the pool', async () => {
    const pool = new BlockPool(64 * KiB, 3);
    const controller = new AbortController();
    const response = await get(pool, {}, controller.signal);
    await assert.rejects(
      response.readBody((_bytes, release) => {
        release();
        controller.abort();
        return true;
      }),
      CancelledError,
    );
    assertAllFree(pool, 3);
    await assert.rejects(get(pool, {}, controller.signal), CancelledError);
  });
});
