import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { LockBlockedError, LockLostError } from '../../../src/core/errors';
import type { ProgressEvent } from '../../../src/core/progress';
import { acquireLock, acquireWithWait, readLockStatus, withLock } from '../../../src/core/lock/index';
import type { B2Store } from '../../../src/core/store/b2-store';
import { withLocalB2, type LocalB2 } from '../../support/local-b2';
import { FAST, identity, lockFileNames, lockOptions, openStore, sleep } from './lock-fixture';

describe('lock: leases, heartbeats, waiting', () => {
  let b2: LocalB2;
  let aliceStore: B2Store;
  let bobStore: B2Store;
  const alice = identity('alice');
  const bob = identity('bob', 'desktop');

  before(async () => {
    b2 = await withLocalB2();
    // The server's clock is two hours behind this machine's: leases must follow the server's.
    b2.server.clock.offsetMs = -2 * 60 * 60 * 1000;
    aliceStore = await openStore(b2);
    bobStore = await openStore(b2);
  });
  after(() => b2.close());
  beforeEach(() => b2.server.faults.clear());

  test('heartbeats keep work longer than the lease safe from takeover', async () => {
    const heartbeatsBefore = b2.server.requests.of('b2_upload_file', 200).length;
    let blockedTries = 0;
    await withLock(aliceStore, 'app.db', lockOptions(alice), async (lease) => {
      const until = performance.now() + 2.5 * FAST.leaseMs;
      while (performance.now() < until) {
        await assert.rejects(acquireLock(bobStore, 'app.db', lockOptions(bob)), LockBlockedError);
        blockedTries++;
        await sleep(200);
      }
      lease.assertHeld();
      assert.equal(lease.signal.aborted, false);
      await lease.heartbeat();
      const files = await lockFileNames(bobStore);
      assert.deepEqual(files.map((f) => f.replace(/@.*/, '')), [`.b2m/locks/app/${lease.lockId}.heartbeat`, `.b2m/locks/app/${lease.lockId}.json`], 'older heartbeat versions are deleted');
    });
    assert.ok(blockedTries >= 5);
    const uploads = b2.server.requests.of('b2_upload_file', 200).length - heartbeatsBefore;
    assert.ok(uploads >= 1 + 6, `the attempt and at least 6 heartbeats (every leaseMs/3), got ${uploads} uploads`);
    assert.deepEqual(await lockFileNames(bobStore), []);
  });

  test('a holder whose heartbeats fail stops before its lease runs out on the server; then it is taken over', async () => {
    const lease = await acquireLock(aliceStore, 'app.db', lockOptions(alice));
    const recorded = (await readLockStatus(bobStore, 'app.db')).holder;
    assert.equal(recorded?.lockId, lease.lockId);
    b2.server.faults.serviceUnavailable('b2_upload_file', 10_000);
    const serverTimeAtLoss = await new Promise<number>((resolve) => lease.signal.addEventListener('abort', () => resolve(b2.server.clock.now())));
    assert.ok(lease.signal.reason instanceof LockLostError);
    assert.throws(() => lease.assertHeld(), LockLostError);
    assert.equal(lease.held, false);
    const expires = (await readLockStatus(bobStore, 'app.db')).holder?.expires ?? 0;
    assert.ok(
      serverTimeAtLoss <= expires - (FAST.settleMs - FAST.maxUploadMs),
      `lost at server time ${serverTimeAtLoss}, the lease runs until ${expires}`,
    );
    b2.server.faults.clear();

    const warnings: string[] = [];
    const takeover = await acquireWithWait(bobStore, 'app.db', {
      ...lockOptions(bob, { onWarning: (m) => warnings.push(m) }),
      waitMs: 5000,
      initialBackoffMs: 50,
      maxBackoffMs: 100,
    });
    try {
      assert.ok(takeover.holder.since >= expires, 'no takeover before the lease ran out on the server');
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0] as string, new RegExp(`^Broke the expired lock on app\\.db held by alice@laptop \\(sync, lock ${lease.lockId}\\)`));
      await lease.release(); // the old holder cleans up what is left of its own: nothing of bob's
      assert.equal((await readLockStatus(aliceStore, 'app.db')).holder?.lockId, takeover.lockId);
      takeover.assertHeld();
    } finally {
      await takeover.release();
    }
  });

  test('acquireWithWait gets the lock once the holder releases it, reporting whom it waits for', async () => {
    const lease = await acquireLock(aliceStore, 'app.db', lockOptions(alice));
    const releaseStartedAt = sleep(1000).then(async () => {
      const startedAt = b2.server.clock.now();
      await lease.release();
      return startedAt;
    });
    const progress: ProgressEvent[] = [];
    const waited = await acquireWithWait(bobStore, 'app.db', {
      ...lockOptions(bob, { onProgress: (e) => progress.push(e) }),
      waitMs: 5000,
      initialBackoffMs: 50,
      maxBackoffMs: 100,
    });
    try {
      assert.ok(waited.holder.since >= (await releaseStartedAt));
      assert.ok(progress.some((e) => e.step === 'lock' && e.message.startsWith('Waiting for the lock on app.db: app.db held by alice@laptop (sync')));
    } finally {
      await waited.release();
    }
  });

  test('acquireWithWait gives up after waitMs with the holder named', async () => {
    const lease = await acquireLock(aliceStore, 'app.db', lockOptions(alice));
    try {
      const started = performance.now();
      await assert.rejects(
        acquireWithWait(bobStore, 'app.db', { ...lockOptions(bob), waitMs: 1500, initialBackoffMs: 100, maxBackoffMs: 200 }),
        (e: unknown) => e instanceof LockBlockedError && e.holder.lockId === lease.lockId,
      );
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= 1000 && elapsed < 6000, `waited ${Math.round(elapsed)} ms`);
    } finally {
      await lease.release();
    }
  });
});
