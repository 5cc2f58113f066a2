import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { IntegrityError, RemoteError } from '../../../src/core/errors';
import { openB2Store } from '../../../src/core/store/b2-store';
import { withLocalB2 } from '../../support/local-b2';
import { MB, randomFile, storeFixture, strayFiles, type StoreFixture } from './store-fixture';

describe('B2Store recovers from transient faults', () => {
  let f: StoreFixture;
  before(async () => {
    f = await storeFixture();
  });
  afterEach(() => {
    f.b2.server.faults.clear();
    f.b2.server.requests.clear();
    f.logs.length = 0;
  });
  after(async () => {
    await f.close();
  });

  it('retries b2_upload_file after 503s, each time with a fresh upload URL', async () => {
    f.b2.server.faults.serviceUnavailable('b2_upload_file', 2);
    const version = await f.store.uploadBytes('faults/503.db', Buffer.from('payload'));
    assert.ok((await f.store.downloadBytes(version)).equals(Buffer.from('payload')));
    const log = f.b2.server.requests;
    assert.equal(log.of('b2_upload_file', 503).length, 2);
    assert.equal(log.of('b2_upload_file', 200).length, 1);
    assert.equal(log.of('b2_get_upload_url', 200).length, 3);
    assert.equal(f.logs.filter((l) => l.startsWith('b2_upload_file: 503 service_unavailable')).length, 2);
  });

  it('honours Retry-After on 429', async () => {
    f.b2.server.faults.tooManyRequests('b2_list_file_versions', 1);
    const started = performance.now();
    for await (const _ of f.store.listVersions('faults/')) {
      // draining the listing is enough
    }
    assert.ok(performance.now() - started >= 950, 'waited less than the Retry-After second');
    assert.equal(f.b2.server.requests.of('b2_list_file_versions', 429).length, 1);
    assert.equal(f.b2.server.requests.of('b2_list_file_versions', 200).length, 1);
  });

  it('re-sends a single upload whose connection was cut mid-body', async () => {
    const source = await randomFile(f.dir, 'cut-upload.db', 2 * MB);
    f.b2.server.faults.disconnect('b2_upload_file', 512 * 1024);
    const version = await f.store.uploadFile(source.path, 'faults/cut-upload.db');
    assert.equal(version.sha1, source.sha1);
    assert.equal(f.b2.server.requests.of('b2_upload_file', 0).length, 1);
    assert.equal(f.b2.server.requests.of('b2_upload_file', 200).length, 1);
    const target = join(f.dir, 'cut-upload-copy.db');
    await f.store.downloadToFile(version, target);
    assert.ok((await readFile(target)).equals(source.data));
  });

  it('retries failed and cut parts of a large upload with new part URLs', async () => {
    const source = await randomFile(f.dir, 'large-faults.db', 16 * MB);
    f.b2.server.faults.serviceUnavailable('b2_upload_part', 1);
    f.b2.server.faults.disconnect('b2_upload_part', MB);
    const version = await f.store.uploadFile(source.path, 'faults/large.db');
    const log = f.b2.server.requests;
    assert.equal(log.of('b2_upload_part', 503).length, 1);
    assert.equal(log.of('b2_upload_part', 0).length, 1);
    assert.equal(log.of('b2_upload_part', 200).length, 4);
    // one URL per worker (4 parts, 4 workers) plus one for each failed attempt
    assert.equal(log.of('b2_get_upload_part_url', 200).length, 6);
    const target = join(f.dir, 'large-faults-copy.db');
    assert.equal((await f.store.downloadToFile(version, target)).sha1, source.sha1);
    assert.ok((await readFile(target)).equals(source.data));
  });

  it('resumes a download cut mid-stream with a Range request instead of starting over', async () => {
    const source = await randomFile(f.dir, 'cut-download.db', 8 * MB);
    const version = await f.store.uploadFile(source.path, 'faults/cut-download.db');
    f.b2.server.faults.disconnect('download', 3 * MB);
    const progress: number[] = [];
    const target = join(f.dir, 'cut-download-copy.db');
    const result = await f.store.downloadToFile(version, target, { onProgress: (done) => progress.push(done) });
    assert.equal(result.sha1, source.sha1);
    assert.ok((await readFile(target)).equals(source.data));
    // Counted as the requests arrive: a status is logged only once the server is done with it.
    assert.equal(f.b2.server.requests.of('download').length, 2);
    assert.equal(f.b2.server.requests.of('download').filter((r) => r.fault === 'disconnect').length, 1);
    assert.ok(
      progress.every((done, i) => i === 0 || done >= (progress[i - 1] ?? 0)),
      'progress went backwards: the download started over',
    );
  });

  it('re-authorizes when the token expires mid-session', async () => {
    const before = await f.store.uploadBytes('faults/token.db', Buffer.from('v1'));
    f.b2.server.expireTokens();
    const next = await f.store.uploadBytes('faults/token.db', Buffer.from('v2'));
    const names: string[] = [];
    for await (const v of f.store.listVersions('faults/token.db')) names.push(v.id);
    assert.deepEqual(names, [next.id, before.id]);
    assert.ok((await f.store.downloadBytes(before)).equals(Buffer.from('v1')));
    const log = f.b2.server.requests;
    assert.equal(log.of('b2_authorize_account', 200).length, 1);
    assert.ok(log.of('*', 401).length >= 1);
    assert.ok(f.logs.some((l) => l.includes('expired_auth_token') && l.includes('authorizing again')));
  });

  it('re-authorizes on an injected expired_auth_token answer', async () => {
    f.b2.server.faults.expiredToken('b2_list_file_versions');
    for await (const _ of f.store.listVersions('faults/')) {
      // draining the listing is enough
    }
    assert.equal(f.b2.server.requests.of('b2_list_file_versions', 401).length, 1);
    assert.equal(f.b2.server.requests.of('b2_authorize_account', 200).length, 1);
    assert.equal(f.b2.server.requests.of('b2_list_file_versions', 200).length, 1);
  });

  it('retries a connection cut before any answer, and waits out a slow one', async () => {
    await f.store.uploadBytes('faults/hidden.db', Buffer.from('soon hidden'));
    f.b2.server.faults.disconnect('b2_hide_file');
    f.b2.server.faults.delay('b2_hide_file', 300);
    const marker = await f.store.hide('faults/hidden.db');
    assert.equal(marker.action, 'hide');
    assert.equal(f.b2.server.requests.of('b2_hide_file', 0).length, 1);
    assert.equal(f.b2.server.requests.of('b2_hide_file', 200).length, 1);
  });

  it('retries b2_authorize_account when opening', async () => {
    f.b2.server.faults.serviceUnavailable('b2_authorize_account', 2);
    const store = await f.open();
    assert.equal(store.bucketName, f.b2.bucket);
    assert.equal(f.b2.server.requests.of('b2_authorize_account', 503).length, 2);
  });
});

describe('B2Store reports permanent failures clearly', () => {
  let f: StoreFixture;
  before(async () => {
    f = await storeFixture({ maxAttempts: 3 });
  });
  afterEach(() => {
    f.b2.server.faults.clear();
    f.b2.server.requests.clear();
  });
  after(async () => {
    await f.close();
  });

  it('gives up after maxAttempts with a RemoteError naming the call', async () => {
    f.b2.server.faults.serviceUnavailable('b2_list_file_versions', 10);
    const listing = async (): Promise<void> => {
      for await (const _ of f.store.listVersions('x/')) {
        // never reached
      }
    };
    await assert.rejects(listing(), (error: unknown) => {
      assert.ok(error instanceof RemoteError);
      assert.equal(error.operation, 'b2_list_file_versions');
      assert.equal(error.status, 503);
      assert.equal(error.code, 'service_unavailable');
      assert.match(error.message, /b2_list_file_versions failed after 3 attempts: 503 service_unavailable/);
      assert.ok(error.hint);
      return true;
    });
    assert.equal(f.b2.server.requests.of('b2_list_file_versions').length, 3);
  });

  it('does not retry what B2 refuses as invalid', async () => {
    await assert.rejects(f.store.downloadBytes({ id: '4_zmissing', name: 'missing.db' }), (error: unknown) => {
      assert.ok(error instanceof RemoteError);
      assert.equal(error.operation, 'b2_download_file_by_id');
      assert.equal(error.status, 404);
      assert.match(error.message, /b2_download_file_by_id failed: 404 not_found/);
      return true;
    });
    assert.equal(f.b2.server.requests.of('download').length, 1);
  });

  it('does not retry a refused download to a file either, and leaves nothing behind', async () => {
    await assert.rejects(f.store.downloadToFile({ id: '4_zmissing', name: 'missing.db' }, join(f.dir, 'missing.db')), (error: unknown) => {
      assert.ok(error instanceof RemoteError);
      assert.match(error.message, /b2_download_file_by_id failed: 404 not_found/);
      return true;
    });
    assert.equal(f.b2.server.requests.of('download').length, 1);
    assert.deepEqual(await strayFiles(f.dir, []), []);
  });

  it('retries a download refused with 503, then gives up naming the call', async () => {
    const source = await randomFile(f.dir, 'unavailable.db', 100_000);
    const version = await f.store.uploadFile(source.path, 'faults/unavailable.db');
    f.b2.server.faults.serviceUnavailable('download', 10);
    await assert.rejects(f.store.downloadToFile(version, join(f.dir, 'unavailable-copy.db')), (error: unknown) => {
      assert.ok(error instanceof RemoteError);
      assert.match(error.message, /b2_download_file_by_id failed after 3 attempts: 503 service_unavailable/);
      return true;
    });
    assert.equal(f.b2.server.requests.of('download', 503).length, 3);
    assert.deepEqual(await strayFiles(f.dir, ['unavailable.db']), []);
  });

  it('fails within 3 s when nothing listens at the endpoint, naming it and what to do', async () => {
    const closed = await withLocalB2();
    const endpoint = closed.endpoint;
    await closed.close();
    const logs: string[] = [];
    const started = performance.now();
    await assert.rejects(
      openB2Store({ keyId: 'k', key: 'k', bucket: 'b', endpoint, logger: (line) => logs.push(line) }), // the default, patient retry policy
      (error: unknown) => {
        assert.ok(error instanceof RemoteError);
        assert.equal(error.operation, 'b2_authorize_account');
        assert.equal(error.message, `Nothing answers at ${endpoint}: the connection was refused (b2_authorize_account, 2 attempts).`);
        assert.match(error.hint ?? '', /b2m server/);
        assert.match(error.hint ?? '', /B2M_ENDPOINT/);
        return true;
      },
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 3000, `took ${Math.round(elapsed)} ms`);
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0] ?? '', /ECONNREFUSED/);
  });

  it('fails as fast when the server goes away during a session, downloads included', async () => {
    const gone = await withLocalB2();
    const store = await openB2Store({ keyId: gone.keyId, key: gone.key, bucket: gone.bucket, endpoint: gone.endpoint });
    const version = await store.uploadBytes('gone/x', Buffer.from('x'));
    await gone.close();
    for (const call of [() => store.downloadBytes(version), () => store.uploadBytes('gone/y', Buffer.from('y'))]) {
      const started = performance.now();
      await assert.rejects(call(), /Nothing answers at .*: the connection was refused/);
      assert.ok(performance.now() - started < 3000);
    }
  });

  it('still retries a 503 patiently, beyond the quick retry of a refused connection', async () => {
    const store = await f.open({ maxAttempts: 6 });
    f.b2.server.faults.serviceUnavailable('b2_list_file_versions', 5);
    for await (const _ of store.listVersions('x/')) {
      // draining the listing is enough
    }
    assert.equal(f.b2.server.requests.of('b2_list_file_versions', 503).length, 5);
    assert.equal(f.b2.server.requests.of('b2_list_file_versions', 200).length, 1);
  });
});

describe('B2Store rejects corrupt downloads and leaves the target untouched', () => {
  let f: StoreFixture;
  let target: string;
  before(async () => {
    f = await storeFixture();
    target = join(f.dir, 'app.db');
  });
  afterEach(() => {
    f.b2.server.faults.clear();
  });
  after(async () => {
    await f.close();
  });

  const checkUntouched = async (): Promise<void> => {
    assert.equal(await readFile(target, 'utf8'), 'my precious local database');
    assert.deepEqual(await strayFiles(f.dir, ['app.db', 'remote.db']), []);
  };

  it('refuses a body whose bytes do not match its SHA-1', async () => {
    const source = await randomFile(f.dir, 'remote.db', 3 * MB);
    const version = await f.store.uploadFile(source.path, 'corrupt/remote.db');
    await writeFile(target, 'my precious local database');
    f.b2.server.faults.corruptDownload();
    await assert.rejects(f.store.downloadToFile(version, target), (error: unknown) => {
      assert.ok(error instanceof IntegrityError);
      assert.match(error.message, /corrupt/);
      assert.match(error.message, new RegExp(source.sha1));
      return true;
    });
    await checkUntouched();
  });

  it('refuses a large file whose stored large_file_sha1 disagrees', async () => {
    const source = await randomFile(f.dir, 'remote.db', 11 * MB);
    const version = await f.store.uploadFile(source.path, 'corrupt/large.db');
    await writeFile(target, 'my precious local database');
    f.b2.server.faults.wrongSha1Header();
    await assert.rejects(f.store.downloadToFile(version, target), IntegrityError);
    await checkUntouched();
  });

  it('refuses a download that does not match the SHA-1 the caller expects', async () => {
    const version = await f.store.uploadBytes('corrupt/expected.db', Buffer.from('remote'));
    await writeFile(target, 'my precious local database');
    await assert.rejects(f.store.downloadToFile(version, target, { expectedSha1: '0'.repeat(40) }), IntegrityError);
    await checkUntouched();
  });

  it('refuses a corrupt small object downloaded into memory', async () => {
    const version = await f.store.uploadBytes('corrupt/small', Buffer.from('lock attempt'));
    f.b2.server.faults.corruptDownload();
    await assert.rejects(f.store.downloadBytes(version), IntegrityError);
  });
});
