import type { Store } from '../store/store';
import { acquireLock, type LockOptions } from './acquire';
import type { Lease } from './lease';
import { acquireWithWait, type WaitOptions } from './wait';

/**
 * Runs `work` under the database's lock and always releases it. With `waitMs`, waits for the
 * lock like acquireWithWait. A failed release is reported through onWarning when `work` failed
 * (its error wins); otherwise it is thrown. Either way the lease runs out on its own.
 */
export async function withLock<T>(
  store: Store,
  database: string,
  options: LockOptions & Partial<WaitOptions>,
  work: (lease: Lease) => Promise<T>,
): Promise<T> {
  const { waitMs } = options;
  const lease = waitMs === undefined ? await acquireLock(store, database, options) : await acquireWithWait(store, database, { ...options, waitMs });
  let result: T;
  try {
    result = await work(lease);
  } catch (e) {
    await lease.release().catch((releaseError: unknown) => {
      options.onWarning?.(`Could not release the lock on ${database} (lock ${lease.lockId}): ${(releaseError as Error).message}`);
    });
    throw e;
  }
  await lease.release();
  return result;
}
