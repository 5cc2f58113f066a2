import { LockBlockedError, LockLostError, RemoteError } from '../errors';
import { sleep } from '../store/b2/retry-policy';
import type { Store } from '../store/store';
import { describeHolder } from './describe';
import { acquireLock, type LockOptions } from './acquire';
import type { Lease } from './lease';

export interface WaitOptions {
  /** Give up (rethrowing the last LockBlockedError) once this much time has passed. */
  waitMs: number;
  /** First pause between tries (default 1 s); grows 1.5× per try up to maxBackoffMs (default 15 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * acquireLock, tried again while the lock is held by someone else (or the race for it was lost)
 * until waitMs has passed. Pauses grow and are jittered so that waiters do not retry in step.
 * Failures to read the lock folder are not waited out: they throw at once.
 */
export async function acquireWithWait(store: Store, database: string, options: LockOptions & WaitOptions): Promise<Lease> {
  const started = performance.now();
  const initial = options.initialBackoffMs ?? 1000;
  const max = options.maxBackoffMs ?? 15_000;
  for (let tries = 1; ; tries++) {
    try {
      return await acquireLock(store, database, options);
    } catch (e) {
      if (!isWorthWaitingFor(e)) throw e;
      const pauseMs = Math.min(max, initial * 1.5 ** (tries - 1)) * (0.5 + Math.random() / 2);
      if (performance.now() - started + pauseMs > options.waitMs) throw e;
      const why = e instanceof LockBlockedError ? describeHolder(e.holder) : (e as Error).message;
      options.onProgress?.({ step: 'lock', message: `Waiting for the lock on ${database}: ${why}` });
      await sleep(pauseMs, options.signal);
    }
  }
}

function isWorthWaitingFor(e: unknown): boolean {
  return e instanceof LockBlockedError || e instanceof LockLostError || (e instanceof RemoteError && e.code === 'slow-lock-upload');
}
