import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { CancelledError, IntegrityError } from '../../../src/core/errors';
import type { B2Store } from '../../../src/core/store/b2-store';
import type { RemoteVersion } from '../../../src/core/store/store';
import { startForwardProxy, type ForwardProxy } from '../../support/forward-proxy';
import { MB, randomFile, storeFixture, strayFiles, type StoreFixture } from './store-fixture';

/** 1 MB segments, 3 at a time: the 7.5 MB file below comes down as 8 ranged segments. */
const SEGMENT = MB;
const SIZE = 7 * MB + MB / 2;
const SEGMENTS = Math.ceil(SIZE / SEGMENT);

// Straight to the server, and through a forward proxy (every download request must go through it).
for (const via of ['direct', 'proxy'] as const) describe(`B2Store downloads large files as parallel ranged segments (${via})`, () => {
  let f: StoreFixture;
  let proxy: ForwardProxy | undefined;
  let store: B2Store;
  let source: { path: string; data: Buffer; sha1: string };
  let version: RemoteVersion;
  let target: string;
  before(async () => {
    f = await storeFixture();
    proxy = via === 'proxy' ? await startForwardProxy() : undefined;
    store = await f.open({ downloadSegmentSize: SEGMENT, downloadConcurrency: 3, maxAttempts: 4, ...(proxy ? { proxy: proxy.url } : {}) });
    source = await randomFile(f.dir, 'remote.db', SIZE);
    version = await store.uploadFile(source.path, 'ranged/remote.db');
    target = join(f.dir, 'app.db');
  });
  afterEach(async () => {
    if (proxy) {
      const downloads = f.b2.server.requests.of('download').length;
      assert.equal(proxy.forwarded.length, downloads, 'a download did not go through the proxy');
      proxy.forwarded.length = 0;
    }
    f.b2.server.faults.clear();
    f.b2.server.requests.clear();
    f.logs.length = 0;
    assert.deepEqual(await strayFiles(f.dir, ['remote.db', 'single.db', 'small.db', 'app.db']), [], 'a temporary file was left behind');
  });
  after(async () => {
    await proxy?.close();
    await f.close();
  });

  const download = async (): Promise<{ sha1: string; size: number; progress: Array<[number, number]> }> => {
    const progress: Array<[number, number]> = [];
    const result = await store.downloadToFile(version, target, { onProgress: (done, total) => progress.push([done, total]) });
    return { ...result, progress };
  };

  const assertMonotonicToEnd = (progress: Array<[number, number]>): void => {
    assert.ok(
      progress.every(([done], i) => i === 0 || done >= (progress[i - 1]?.[0] ?? 0)),
      'progress went backwards',
    );
    assert.ok(progress.every(([, total]) => total === SIZE));
    assert.deepEqual(progress.at(-1), [SIZE, SIZE]);
  };

  it('is byte-exact, with one ranged request per segment after the first and monotonic progress', async () => {
    const { sha1, size, progress } = await download();
    assert.deepEqual({ sha1, size }, { sha1: source.sha1, size: SIZE });
    assert.ok((await readFile(target)).equals(source.data));
    assert.equal(f.b2.server.requests.of('download').length, SEGMENTS);
    assertMonotonicToEnd(progress);
  });

  it('checks a single upload (X-Bz-Content-Sha1) downloaded in segments too', async () => {
    const small = await randomFile(f.dir, 'single.db', 5 * MB + 7);
    const single = await store.uploadFile(small.path, 'ranged/single.db');
    assert.equal(f.b2.server.requests.of('b2_upload_file', 200).length, 1);
    const result = await store.downloadToFile(single, target);
    assert.deepEqual(result, { sha1: small.sha1, size: small.data.length });
    assert.ok((await readFile(target)).equals(small.data));
    assert.equal(f.b2.server.requests.of('download').length, 6);
  });

  it('resumes segments cut mid-transfer from where each stopped', async () => {
    f.b2.server.faults.disconnect('download', 300 * 1024, 3); // the first stream and two segments
    const { sha1, progress } = await download();
    assert.equal(sha1, source.sha1);
    assert.ok((await readFile(target)).equals(source.data));
    assert.equal(f.b2.server.requests.of('download').filter((r) => r.fault === 'disconnect').length, 3);
    // every segment once, plus one resume for each cut
    assert.equal(f.b2.server.requests.of('download').length, SEGMENTS + 3);
    assertMonotonicToEnd(progress);
  });

  it('re-authorizes and backs off per segment', async () => {
    f.b2.server.faults.delay('download', 0); // lets the first stream through
    f.b2.server.faults.expiredToken('download');
    f.b2.server.faults.serviceUnavailable('download');
    const { sha1 } = await download();
    assert.equal(sha1, source.sha1);
    assert.equal(f.b2.server.requests.of('download', 401).length, 1);
    assert.equal(f.b2.server.requests.of('download', 503).length, 1);
    assert.equal(f.b2.server.requests.of('b2_authorize_account', 200).length, 1);
    assert.ok(f.logs.some((l) => l.includes('expired_auth_token') && l.includes('authorizing again')));
  });

  it('drops a connection on which nothing arrives and resumes on a new one', async () => {
    const impatient = await f.open({ downloadSegmentSize: SEGMENT, downloadConcurrency: 3, downloadIdleTimeoutMs: 300, ...(proxy ? { proxy: proxy.url } : {}) });
    f.b2.server.faults.delay('download', 5_000);
    const started = performance.now();
    const result = await impatient.downloadToFile(version, target);
    assert.equal(result.sha1, source.sha1);
    assert.ok(performance.now() - started < 4_000, 'it waited for the stalled answer');
    assert.ok(f.logs.some((l) => l.startsWith('b2_download_file_by_id: network error ETIMEDOUT') && l.includes('stalled')), f.logs.join('\n'));
  });

  it('catches a corrupted segment with the whole-file SHA-1, leaving the target untouched', async () => {
    await writeFile(target, 'my precious local database');
    f.b2.server.faults.corruptDownload(SEGMENTS, 5 * SEGMENT + 12_345); // whichever request serves that byte
    await assert.rejects(store.downloadToFile(version, target), (error: unknown) => {
      assert.ok(error instanceof IntegrityError);
      assert.match(error.message, new RegExp(`expected ${source.sha1}`));
      return true;
    });
    assert.equal(await readFile(target, 'utf8'), 'my precious local database');
  });

  it('refuses a download that does not match the SHA-1 the caller expects', async () => {
    await writeFile(target, 'my precious local database');
    await assert.rejects(store.downloadToFile(version, target, { expectedSha1: '0'.repeat(40) }), IntegrityError);
    assert.equal(await readFile(target, 'utf8'), 'my precious local database');
  });

  it('cancels every segment mid-download and removes the temporary file', async () => {
    await writeFile(target, 'my precious local database');
    f.b2.server.faults.delay('download', 50, SEGMENTS); // keeps the transfer going long enough to cancel
    const controller = new AbortController();
    let seen = 0;
    await assert.rejects(
      store.downloadToFile(version, target, {
        signal: controller.signal,
        onProgress: (done) => {
          seen = done;
          if (done >= 2 * SEGMENT) controller.abort();
        },
      }),
      CancelledError,
    );
    assert.ok(seen >= 2 * SEGMENT && seen < SIZE, `cancelled at ${seen} bytes`);
    assert.ok(f.b2.server.requests.of('download').length > 1, 'segments were not fetched in parallel');
    assert.equal(await readFile(target, 'utf8'), 'my precious local database');
  });

  it('keeps a file below two segments on the single stream', async () => {
    const small = await randomFile(f.dir, 'small.db', SEGMENT + 5);
    const single = await store.uploadFile(small.path, 'ranged/small.db');
    f.b2.server.requests.clear();
    const result = await store.downloadToFile(single, target);
    assert.equal(result.sha1, small.sha1);
    assert.equal(f.b2.server.requests.of('download').length, 1);
  });
});
