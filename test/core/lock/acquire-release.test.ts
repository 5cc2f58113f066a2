import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CancelledError, LockBlockedError, LockLostError, RemoteError } from '../../../src/core/errors';
import { acquireLock, readLockStatus, withLock } from '../../../src/core/lock/index';
import type { B2Store } from '../../../src/core/store/b2-store';
import { withLocalB2, type LocalB2 } from '../../support/local-b2';
import { FAST, identity, lockFileNames, lockOptions, openStore } from './lock-fixture';

describe('lock: acquire, block, release', () => {
  let b2: LocalB2;
  let aliceStore: B2Store;
  let bobStore: B2Store;
  const alice = identity('alice');
  const bob = identity('bob', 'desktop');

  before(async () => {
    b2 = await withLocalB2();
    aliceStore = await openStore(b2);
    bobStore = await openStore(b2);
  });
  after(() => b2.close());
  beforeEach(() => b2.server.faults.clear());

  test('acquire then release leaves no lock file behind, and release is idempotent', async () => {
    const lease = await acquireLock(aliceStore, 'app.db', lockOptions(alice));
    assert.equal(lease.held, true);
    lease.assertHeld();
    const files = await lockFileNames(bobStore);
    assert.equal(files.length, 1);
    assert.match(files[0] as string, new RegExp(`^\\.b2m/locks/app/${lease.lockId}\\.json@`));
    const status = await readLockStatus(bobStore, 'app.db', { session: bob.session });
    assert.equal(status.state, 'held');
    assert.equal(status.holder?.lockId, lease.lockId);
    assert.equal(status.holder?.isMine, false);
    assert.equal((await readLockStatus(aliceStore, 'app.db', { session: alice.session })).holder?.isMine, true);

    await lease.release();
    await lease.release();
    assert.deepEqual(await lockFileNames(bobStore), []);
    assert.equal((await readLockStatus(bobStore, 'app.db')).state, 'free');
    assert.equal(lease.held, false);
    assert.throws(() => lease.assertHeld(), LockLostError);
  });

  test('a second user is blocked with the holder named, and leaves nothing behind', async () => {
    const lease = await acquireLock(aliceStore, 'app.db', lockOptions(alice, { operation: 'restore' }));
    try {
      const filesBefore = await lockFileNames(bobStore);
      const error = await acquireLock(bobStore, 'app.db', lockOptions(bob)).then(
        () => assert.fail('bob must not get the lock'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof LockBlockedError);
      assert.equal(error.kind, 'blocked');
      const { holder } = error;
      assert.equal(holder.lockId, lease.lockId);
      assert.equal(holder.database, 'app.db');
      assert.equal(holder.owner, 'alice');
      assert.equal(holder.host, 'laptop');
      assert.equal(holder.session, alice.session);
      assert.equal(holder.operation, 'restore');
      assert.equal(holder.pid, process.pid);
      assert.ok(holder.expires >= holder.since + FAST.leaseMs, 'the lease runs leaseMs from the attempt or a later heartbeat');
      assert.match(error.message, /^app\.db is locked by alice@laptop \(restore\) since \d\d:\d\d:\d\d, lease expires \d\d:\d\d:\d\d UTC\.$/);
      assert.equal(error.hint, 'Try again later, or wait with --wait.');
      assert.deepEqual(await lockFileNames(bobStore), filesBefore);
    } finally {
      await lease.release();
    }
  });

  test('names with dots never confuse databases or holders; the prefix is honoured', async () => {
    const dotted = identity('a.lice.smith', 'lap.top.example.org');
    const options = lockOptions(dotted, { prefix: 'team.x/' });
    const v2 = await acquireLock(aliceStore, 'app.v2.db', options);
    const app = await acquireLock(bobStore, 'app.db', lockOptions(bob, { prefix: 'team.x/' }));
    try {
      const files = (await lockFileNames(aliceStore, 'team.x/')).filter((f) => f.includes('.json@'));
      assert.deepEqual(
        files.map((f) => f.replace(/[0-9a-f]{16}\.json@.*/, '')),
        ['team.x/.b2m/locks/app.v2/', 'team.x/.b2m/locks/app/'].sort(),
      );
      assert.ok(files.every((f) => !f.includes('lice') && !f.includes('lap.top')), 'owner and host are not in names');
      const status = await readLockStatus(bobStore, 'app.v2.db', { prefix: 'team.x/' });
      assert.equal(status.holder?.owner, 'a.lice.smith');
      assert.equal(status.holder?.host, 'lap.top.example.org');
      assert.equal(status.holder?.database, 'app.v2.db');
      assert.equal((await readLockStatus(bobStore, 'app.db', { prefix: 'team.x/' })).holder?.lockId, app.lockId);
      assert.equal((await readLockStatus(bobStore, 'app.db')).state, 'free', 'another prefix is another namespace');
    } finally {
      await v2.release();
      await app.release();
    }
  });

  test('an attempt b2m cannot read still counts as a lock (by an unknown holder)', async () => {
    const junk = await bobStore.uploadBytes('.b2m/locks/app/0123456789abcdef.json', Buffer.from('not json'));
    try {
      await assert.rejects(acquireLock(aliceStore, 'app.db', lockOptions(alice)), (e: unknown) => {
        assert.ok(e instanceof LockBlockedError);
        assert.equal(e.holder.owner, 'unknown');
        assert.equal(e.holder.lockId, '0123456789abcdef');
        return true;
      });
    } finally {
      await bobStore.deleteVersion(junk);
    }
  });

  test('fails closed: a lock folder that cannot be listed is an error, never "free"', async () => {
    // A long lease: no heartbeat of alice's may take the injected faults meant for bob.
    const lease = await acquireLock(aliceStore, 'app.db', lockOptions(alice, { timings: { ...FAST, leaseMs: 60_000 } }));
    try {
      b2.server.faults.serviceUnavailable('b2_list_file_versions', 4); // every attempt of the store
      await assert.rejects(acquireLock(bobStore, 'app.db', lockOptions(bob)), (e: unknown) => e instanceof RemoteError && e.status === 503);
      b2.server.faults.serviceUnavailable('b2_list_file_versions', 4);
      await assert.rejects(readLockStatus(bobStore, 'app.db'), RemoteError);
    } finally {
      b2.server.faults.clear();
      await lease.release();
    }
  });

  test('fails closed after placing its attempt, and removes that attempt on the way out', async () => {
    b2.server.faults.delay('b2_list_file_versions', 0); // the first listing (nobody holds the lock) passes
    b2.server.faults.serviceUnavailable('b2_list_file_versions', 4); // the deciding listing fails for good
    const before = b2.server.requests.of('b2_upload_file', 200).length;
    await assert.rejects(acquireLock(bobStore, 'app.db', lockOptions(bob)), (e: unknown) => e instanceof RemoteError && e.status === 503);
    assert.equal(b2.server.requests.of('b2_upload_file', 200).length, before + 1, 'an attempt was placed');
    assert.deepEqual(await lockFileNames(aliceStore), [], 'and removed again');
  });

  test('uploads slower than maxUploadMs are abandoned; the lock is taken with a fast one', async () => {
    b2.server.faults.delay('b2_upload_file', FAST.maxUploadMs + 300, 2);
    const warnings: string[] = [];
    const lease = await acquireLock(bobStore, 'app.db', lockOptions(bob, { onWarning: (m) => warnings.push(m) }));
    try {
      assert.equal(b2.server.requests.entries.filter((r) => r.call === 'b2_upload_file' && r.fault === 'delay').length >= 2, true);
      assert.deepEqual(warnings, []);
      const files = await lockFileNames(aliceStore);
      assert.equal(files.length, 1, 'the slow attempts were deleted');
      assert.ok(files[0]?.includes(lease.lockId));
    } finally {
      await lease.release();
    }
  });

  test('three slow uploads in a row give up with a clear error', async () => {
    b2.server.faults.delay('b2_upload_file', FAST.maxUploadMs + 300, 3);
    await assert.rejects(acquireLock(bobStore, 'app.db', lockOptions(bob)), (e: unknown) => {
      assert.ok(e instanceof RemoteError);
      assert.equal(e.code, 'slow-lock-upload');
      assert.match(e.message, new RegExp(`3 uploads in a row took longer than ${FAST.maxUploadMs} ms`));
      return true;
    });
    assert.deepEqual(await lockFileNames(aliceStore), []);
  });

  test('cancelling while the attempt settles removes the attempt', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), FAST.settleMs / 2 + 20);
    await assert.rejects(acquireLock(bobStore, 'app.db', lockOptions(bob, { signal: controller.signal })), CancelledError);
    assert.deepEqual(await lockFileNames(aliceStore), []);
  });

  test('withLock releases after work, and after work that throws', async () => {
    const result = await withLock(aliceStore, 'app.db', lockOptions(alice), async (lease) => {
      lease.assertHeld();
      assert.equal((await readLockStatus(bobStore, 'app.db')).holder?.lockId, lease.lockId);
      return 42;
    });
    assert.equal(result, 42);
    assert.deepEqual(await lockFileNames(bobStore), []);
    await assert.rejects(
      withLock(aliceStore, 'app.db', lockOptions(alice), async () => {
        throw new Error('migration failed');
      }),
      /migration failed/,
    );
    assert.deepEqual(await lockFileNames(bobStore), []);
  });
});
