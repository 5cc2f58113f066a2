import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { LockBlockedError, type LockHolder } from '../../../src/core/errors';
import { currentIdentity } from '../../../src/core/identity';
import { acquireLock, acquireWithWait, readLockStatus, type LockTimings } from '../../../src/core/lock/index';
import type { B2Store } from '../../../src/core/store/b2-store';
import { withLocalB2, type LocalB2 } from '../../support/local-b2';
import { FAST, lockOptions, openStore } from './lock-fixture';

const TIMINGS: LockTimings = FAST;
const USER = 'pat';

interface Holder {
  child: ChildProcess;
  /** The next JSON line the holder prints. */
  next(): Promise<Record<string, unknown>>;
}

interface Acquired {
  holder: LockHolder;
  session: string;
}

describe('lock: holders in other processes', () => {
  let b2: LocalB2;
  let store: B2Store;
  const children: ChildProcess[] = [];
  const me = currentIdentity({ ...process.env, B2M_USER: USER });

  let holders: Holder[];
  let bundleDir: string;

  before(async () => {
    b2 = await withLocalB2();
    store = await openStore(b2);
    // Bundled once, so that each holder process starts in a blink instead of compiling TypeScript.
    bundleDir = await mkdtemp(join(tmpdir(), 'b2m-lock-holder-'));
    await build({
      entryPoints: [fileURLToPath(new URL('./holder-process.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: join(bundleDir, 'holder.cjs'),
      logLevel: 'error',
    });
    holders = await Promise.all([startHolder(), startHolder(), startHolder()]);
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await b2.close();
    await rm(bundleDir, { recursive: true, force: true });
  });

  async function startHolder(): Promise<Holder> {
    const args = { endpoint: b2.endpoint, keyId: b2.keyId, key: b2.key, bucket: b2.bucket, database: 'app.db', timings: TIMINGS };
    const child = spawn(process.execPath, [join(bundleDir, 'holder.cjs'), JSON.stringify(args)], {
      env: { ...process.env, B2M_USER: USER },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
    const next = async (): Promise<Record<string, unknown>> => {
      const { value, done } = await lines.next();
      assert.ok(!done, 'the holder process ended early');
      return JSON.parse(value as string) as Record<string, unknown>;
    };
    assert.equal((await next()).event, 'ready');
    return { child, next };
  }

  async function acquireIn(holder: Holder): Promise<Acquired> {
    holder.child.stdin?.write('acquire\n');
    const line = await holder.next();
    assert.equal(line.event, 'acquired', JSON.stringify(line));
    return { holder: line.holder as LockHolder, session: line.session as string };
  }

  test('two processes of one user on one host are different holders', async () => {
    const otherProcess = holders[0] as Holder;
    const other = await acquireIn(otherProcess);
    assert.equal(other.holder.owner, me.user);
    assert.equal(other.holder.host, me.host);
    assert.notEqual(other.session, me.session);
    await assert.rejects(acquireLock(store, 'app.db', lockOptions(me, { timings: TIMINGS })), (e: unknown) => {
      assert.ok(e instanceof LockBlockedError);
      assert.equal(e.holder.session, other.session);
      assert.equal(e.holder.pid, otherProcess.child.pid);
      return true;
    });
    assert.equal((await readLockStatus(store, 'app.db', { session: me.session })).holder?.isMine, false);
    assert.equal((await readLockStatus(store, 'app.db', { session: other.session })).holder?.isMine, true);

    otherProcess.child.stdin?.write('release\n');
    assert.equal((await otherProcess.next()).event, 'released');
    const lease = await acquireLock(store, 'app.db', lockOptions(me, { timings: TIMINGS }));
    await lease.release();
  });

  test('a crashed holder blocks until its lease runs out on the server, then is taken over with a warning', async () => {
    const crashedProcess = holders[1] as Holder;
    const crashed = await acquireIn(crashedProcess);
    crashedProcess.child.kill('SIGKILL');
    await once(crashedProcess.child, 'exit');
    const blocked = await acquireLock(store, 'app.db', lockOptions(me, { timings: TIMINGS })).then(
      () => assert.fail('a crashed holder still holds its lease'),
      (e: unknown) => e,
    );
    assert.ok(blocked instanceof LockBlockedError);
    assert.equal(blocked.holder.lockId, crashed.holder.lockId);

    const warnings: string[] = [];
    const lease = await acquireWithWait(store, 'app.db', {
      ...lockOptions(me, { timings: TIMINGS, onWarning: (m) => warnings.push(m) }),
      waitMs: 15_000,
      initialBackoffMs: 100,
      maxBackoffMs: 200,
    });
    try {
      assert.ok(lease.holder.since >= blocked.holder.expires, 'taken over only after the lease ran out');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] as string, new RegExp(`held by ${USER}@.*lock ${crashed.holder.lockId}`));
    } finally {
      await lease.release();
    }
  });

  test('a paused holder is taken over after its lease runs out, and on waking knows it lost the lock', async () => {
    const paused = holders[2] as Holder;
    await acquireIn(paused);
    paused.child.kill('SIGSTOP');
    const lease = await acquireWithWait(store, 'app.db', {
      ...lockOptions(me, { timings: TIMINGS }),
      waitMs: 15_000,
      initialBackoffMs: 100,
      maxBackoffMs: 200,
    });
    try {
      paused.child.kill('SIGCONT');
      const woke = await paused.next();
      assert.equal(woke.event, 'lost');
      assert.match(woke.message as string, /Lost the lock on app\.db/);
      assert.equal((await paused.next()).event, 'released');
      await once(paused.child, 'exit');
      lease.assertHeld();
      assert.equal((await readLockStatus(store, 'app.db')).holder?.lockId, lease.lockId, 'its release left the new lock alone');
    } finally {
      await lease.release();
    }
  });
});
