import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { CancelledError, RemoteError } from '../../../src/core/errors';
import { MB, randomFile, storeFixture, strayFiles, type StoreFixture } from './store-fixture';

describe('B2Store cancellation and failed transfers leave nothing behind', () => {
  let f: StoreFixture;
  before(async () => {
    f = await storeFixture({ maxAttempts: 2 });
  });
  afterEach(() => {
    f.b2.server.faults.clear();
    f.b2.server.requests.clear();
  });
  after(async () => {
    await f.close();
  });

  it('cancels a large upload mid-transfer and its unfinished large file on B2', async () => {
    const source = await randomFile(f.dir, 'cancel-up.db', 20 * MB);
    const controller = new AbortController();
    await assert.rejects(
      f.store.uploadFile(source.path, 'cancel/up.db', {
        signal: controller.signal,
        onProgress: (done) => {
          if (done >= 6 * MB) controller.abort();
        },
      }),
      CancelledError,
    );
    assert.equal(f.b2.server.requests.of('b2_start_large_file', 200).length, 1);
    assert.equal(f.b2.server.requests.of('b2_cancel_large_file', 200).length, 1);
    assert.equal(f.b2.server.requests.of('b2_finish_large_file').length, 0);
    assert.deepEqual(await f.store.listUnfinishedLargeFiles(''), []);
    const versions = [];
    for await (const v of f.store.listVersions('cancel/up.db')) versions.push(v);
    assert.deepEqual(versions, []);
  });

  it('cancels the unfinished large file when a part fails for good', async () => {
    const source = await randomFile(f.dir, 'fail-up.db', 12 * MB);
    f.b2.server.faults.serviceUnavailable('b2_upload_part', 100);
    await assert.rejects(f.store.uploadFile(source.path, 'cancel/fail.db'), (error: unknown) => {
      assert.ok(error instanceof RemoteError);
      assert.equal(error.operation, 'b2_upload_part');
      return true;
    });
    assert.equal(f.b2.server.requests.of('b2_cancel_large_file', 200).length, 1);
    assert.deepEqual(await f.store.listUnfinishedLargeFiles(''), []);
  });

  it('cancels a download mid-stream, leaving the target as it was and no temporary file', async () => {
    const source = await randomFile(f.dir, 'remote.db', 16 * MB);
    const version = await f.store.uploadFile(source.path, 'cancel/down.db');
    const target = join(f.dir, 'app.db');
    await writeFile(target, 'local work');
    const controller = new AbortController();
    let seen = 0;
    await assert.rejects(
      f.store.downloadToFile(version, target, {
        signal: controller.signal,
        onProgress: (done) => {
          seen = done;
          if (done >= 2 * MB) controller.abort();
        },
      }),
      CancelledError,
    );
    assert.ok(seen >= 2 * MB && seen < source.data.length, `cancelled at ${seen} bytes`);
    assert.equal(await readFile(target, 'utf8'), 'local work');
    assert.deepEqual(await strayFiles(f.dir, ['app.db', 'remote.db', 'cancel-up.db', 'fail-up.db']), []);
    assert.equal(f.b2.server.requests.of('download').length, 1);
  });

  it('does not start when the signal is already aborted', async () => {
    const source = await randomFile(f.dir, 'never.db', 1000);
    await assert.rejects(f.store.uploadFile(source.path, 'cancel/never.db', { signal: AbortSignal.abort() }), CancelledError);
    await assert.rejects(f.store.downloadBytes({ id: 'x', name: 'x' }, { signal: AbortSignal.abort() }), CancelledError);
    assert.equal(f.b2.server.requests.entries.length, 0);
  });
});
