import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BadInputError } from '../../src/core/errors';
import { parseBandwidth } from '../../src/b2-server/http/bandwidth-rate';
import { withLocalB2, type LocalB2 } from '../support/local-b2';
import { bucketIdOf, connect, upload } from './b2-client';
import { RawClient, sha1Hex } from './raw-api';

const MB = 1_000_000;

async function seconds<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
}

async function setBandwidth(local: LocalB2, bytesPerSecond: number | null): Promise<void> {
  const res = await fetch(`${local.endpoint}/__b2m_test/bandwidth`, { method: 'POST', body: JSON.stringify({ bytesPerSecond }) });
  assert.equal(res.status, 200);
}

describe('local B2 server: simulated bandwidth', () => {
  let local: LocalB2;
  let raw: RawClient;
  const data = randomBytes(3 * MB);
  before(async () => {
    local = await withLocalB2();
    raw = await RawClient.open(local);
    await raw.upload('bw/source.bin', data);
  });
  beforeEach(() => setBandwidth(local, null));
  after(() => local.close());

  it('is unlimited unless set', async () => {
    assert.equal(local.server.bandwidth.bytesPerSecond, null);
    const up = await seconds(() => raw.upload('bw/unlimited.bin', data));
    assert.equal(up.value.status, 200);
    const down = await seconds(async () => Buffer.from(await (await raw.download('bw/source.bin')).arrayBuffer()));
    assert.ok(down.value.equals(data), 'downloaded whole');
    assert.ok(up.seconds + down.seconds < 1.5, `3 MB up and down took ${up.seconds.toFixed(2)} s + ${down.seconds.toFixed(2)} s`);
  });

  it('takes about 3 s to upload 3 MB at 1 MB/s (backblaze-b2 client)', async () => {
    local.server.bandwidth.setRate(1 * MB);
    const b2 = await connect(local);
    const bucketId = await bucketIdOf(b2, local.bucket);
    const { seconds: took, value: file } = await seconds(() => upload(b2, bucketId, 'bw/slow-up.bin', data));
    assert.equal(file.contentSha1, sha1Hex(data));
    assert.ok(took > 2.7 && took < 4.5, `took ${took.toFixed(2)} s`);
  });

  it('takes about 3 s to download 3 MB at 1 MB/s, set through the control API', async () => {
    await setBandwidth(local, 1 * MB);
    const control = (await (await fetch(`${local.endpoint}/__b2m_test/bandwidth`)).json()) as { bytesPerSecond: number };
    assert.equal(control.bytesPerSecond, 1 * MB);
    const { seconds: took, value: body } = await seconds(async () => Buffer.from(await (await raw.download('bw/source.bin')).arrayBuffer()));
    assert.ok(body.equals(data), 'downloaded whole');
    assert.ok(took > 2.7 && took < 4.5, `took ${took.toFixed(2)} s`);
  });

  it('shares the rate between parallel transfers, uploads and downloads alike', async () => {
    await raw.upload('bw/half.bin', data.subarray(0, 1.5 * MB));
    await setBandwidth(local, 1 * MB);
    const started = performance.now();
    const finished = (): number => (performance.now() - started) / 1000;
    const [up, down] = await Promise.all([
      raw.upload('bw/parallel-up.bin', data.subarray(1.5 * MB)).then(finished),
      raw.download('bw/half.bin').then(async (res) => {
        assert.equal((await res.arrayBuffer()).byteLength, 1.5 * MB);
        return finished();
      }),
    ]);
    // Alone, each would take 1.5 s; together they share 1 MB/s and both end near 3 s.
    assert.ok(up > 2.5 && down > 2.5, `upload ${up.toFixed(2)} s, download ${down.toFixed(2)} s`);
    assert.ok(Math.max(up, down) < 4.5, `upload ${up.toFixed(2)} s, download ${down.toFixed(2)} s`);
  });

  it('lets a tiny upload through in milliseconds while big uploads stream', async () => {
    await setBandwidth(local, 1 * MB);
    local.server.requests.clear();
    const stop = new AbortController();
    const bigBody = Buffer.alloc(20 * MB); // more than the socket buffers can hold: it streams at the server's pace
    const big = [1, 2, 3].map(async (n) => {
      const url = await raw.uploadUrl();
      return fetch(url.uploadUrl, {
        method: 'POST',
        headers: { Authorization: url.authorizationToken, 'X-Bz-File-Name': `bw/big-${n}.bin`, 'Content-Type': 'b2/x-auto', 'X-Bz-Content-Sha1': 'do_not_verify' },
        body: bigBody,
        signal: stop.signal,
      }).catch((e: unknown) => e);
    });
    try {
      // Each big body is streaming once its request is in the log, unanswered.
      while (local.server.requests.of('b2_upload_file', 0).length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      const url = await raw.uploadUrl();
      const tinyBody = Buffer.from('x'.repeat(1000));
      const tiny = await seconds(() =>
        fetch(url.uploadUrl, {
          method: 'POST',
          headers: { Authorization: url.authorizationToken, 'X-Bz-File-Name': 'bw/lock-attempt.json', 'Content-Type': 'b2/x-auto', 'X-Bz-Content-Sha1': sha1Hex(tinyBody) },
          body: tinyBody,
        }),
      );
      assert.equal(tiny.value.status, 200);
      // Behind one 16 KiB slice per busy connection: about 50 ms at 1 MB/s (a 64 KiB turn would cost 200 ms).
      assert.ok(tiny.seconds < 0.12, `the tiny upload took ${(tiny.seconds * 1000).toFixed(0)} ms`);
    } finally {
      stop.abort();
      await Promise.all(big);
    }
    // What the big uploads left in the socket buffers still arrives (as over TCP); no limit drains it at once.
    await setBandwidth(local, null);
    for (let waited = 0; (await readdir(join(local.dataDir, 'tmp'))).length > 0; waited += 20) {
      assert.ok(waited < 3000, 'the cut uploads left temp files');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(await raw.listVersions({ prefix: 'bw/big-' }), []);
  });

  it('applies a new rate at once to transfers under way', async () => {
    await setBandwidth(local, 100_000);
    const { seconds: took, value: body } = await seconds(async () => {
      const res = await raw.download('bw/source.bin');
      setTimeout(() => void setBandwidth(local, null), 300);
      return Buffer.from(await res.arrayBuffer());
    });
    assert.ok(body.equals(data), 'downloaded whole');
    assert.ok(took < 1.5, `took ${took.toFixed(2)} s (30 s at the first rate)`);
  });

  it('refuses a bad rate through the control API', async () => {
    for (const bytesPerSecond of [0, -5, 'fast', undefined]) {
      const res = await fetch(`${local.endpoint}/__b2m_test/bandwidth`, { method: 'POST', body: JSON.stringify({ bytesPerSecond }) });
      assert.equal(res.status, 400, String(bytesPerSecond));
    }
    assert.equal(local.server.bandwidth.bytesPerSecond, null);
  });
});

describe('b2m server --bandwidth values', () => {
  it('reads decimal and binary units', () => {
    assert.equal(parseBandwidth('10MB/s'), 10_000_000);
    assert.equal(parseBandwidth('1.5 MB/s'), 1_500_000);
    assert.equal(parseBandwidth('512KiB/s'), 512 * 1024);
    assert.equal(parseBandwidth('2MiB/s'), 2 * 1024 * 1024);
    assert.equal(parseBandwidth('800KB/s'), 800_000);
    assert.equal(parseBandwidth('100B/s'), 100);
    assert.equal(parseBandwidth('1GB/s'), 1e9);
    assert.equal(parseBandwidth('.5kB/s'), 500);
  });

  it('refuses anything else with a hint', () => {
    for (const bad of ['10', '10MB', '10 Mbit/s', 'fast', '0MB/s', '0.5B/s', '-1MB/s', '1e3KB/s', '']) {
      assert.throws(() => parseBandwidth(bad), (e: unknown) => e instanceof BadInputError && /KiB\/s/.test(e.hint ?? ''), bad);
    }
  });
});
