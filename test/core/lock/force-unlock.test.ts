import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BadInputError, LockLostError } from '../../../src/core/errors';
import { acquireLock, forceUnlock, readLockStatus } from '../../../src/core/lock/index';
import type { B2Store } from '../../../src/core/store/b2-store';
import { withLocalB2, type LocalB2 } from '../../support/local-b2';
import { FAST, identity, lockFileNames, lockOptions, openStore } from './lock-fixture';

describe('lock: force-unlock', () => {
  let b2: LocalB2;
  let aliceStore: B2Store;
  let adminStore: B2Store;

  before(async () => {
    b2 = await withLocalB2();
    aliceStore = await openStore(b2);
    adminStore = await openStore(b2);
  });
  after(() => b2.close());

  test('removes exactly the named lock and its heartbeats; its holder finds out at its next heartbeat', async () => {
    const alice = await acquireLock(aliceStore, 'app.db', lockOptions(identity('alice')));
    const carol = await acquireLock(adminStore, 'other.db', lockOptions(identity('carol')));
    await alice.heartbeat(); // so that there is a heartbeat file to remove as well
    // A contender's attempt on the same database (another b2m instance, mid-race), with its own files.
    const dave = '00000000000000aa';
    const daveAttempt = await adminStore.uploadBytes(`.b2m/locks/app/${dave}.json`, Buffer.from('{}'), {
      info: { lockid: dave, owner: 'dave', host: 'pc', session: 'dave-1', pid: '7', operation: 'sync', leasems: String(FAST.leaseMs) },
    });
    const daveHeartbeat = await adminStore.uploadBytes(`.b2m/locks/app/${dave}.heartbeat`, Buffer.from('{}'));
    // carol's own heartbeats change her files meanwhile: compare app.db's folder only.
    const appFiles = async (): Promise<string[]> => (await lockFileNames(adminStore)).filter((f) => f.startsWith('.b2m/locks/app/'));
    const untouched = (await appFiles()).filter((f) => !f.includes(alice.lockId));
    assert.ok(untouched.some((f) => f.includes(`${dave}.heartbeat`)));
    assert.ok((await lockFileNames(adminStore)).some((f) => f.includes(`${alice.lockId}.heartbeat`)));
    try {
      const removed = await forceUnlock(adminStore, 'app.db', alice.lockId);
      assert.equal(removed?.owner, 'alice');
      assert.equal(removed?.lockId, alice.lockId);
      assert.deepEqual(await appFiles(), untouched);

      await assert.rejects(alice.heartbeat(), LockLostError);
      assert.equal(alice.signal.aborted, true);
      assert.throws(() => alice.assertHeld(), /removed by someone else/);
      await alice.release();
      assert.deepEqual(await appFiles(), untouched, 'the heartbeat that found the lock gone is cleaned up too');
      assert.equal((await readLockStatus(adminStore, 'other.db')).holder?.lockId, carol.lockId);
    } finally {
      await adminStore.deleteVersion(daveAttempt);
      await adminStore.deleteVersion(daveHeartbeat);
      await carol.release();
    }
  });

  test('refuses an unknown lock id, or one of another database, and deletes nothing', async () => {
    const carol = await acquireLock(adminStore, 'other.db', lockOptions(identity('carol'), { timings: { ...FAST, leaseMs: 60_000 } }));
    try {
      const files = await lockFileNames(adminStore);
      await assert.rejects(forceUnlock(adminStore, 'app.db', carol.lockId), (e: unknown) => {
        assert.ok(e instanceof BadInputError);
        assert.equal(e.message, `There is no lock ${carol.lockId} on app.db.`);
        return true;
      });
      await assert.rejects(forceUnlock(adminStore, 'other.db', 'ffffffffffffffff'), BadInputError);
      await assert.rejects(forceUnlock(adminStore, 'other.db', '../../app'), BadInputError);
      assert.deepEqual(await lockFileNames(adminStore), files);
    } finally {
      await carol.release();
    }
  });
});
