import { BadInputError, type LockHolder } from '../errors';
import type { Store } from '../store/store';
import { holderOf, isClaim } from './attempts/claims';
import { deleteAttemptFiles } from './attempts/delete-attempt';
import { isAttemptId, lockFolder } from './attempts/names';
import { scanAttempts } from './attempts/scan';
import { DEFAULT_LOCK_TIMINGS } from './timings';

export interface ForceUnlockOptions {
  prefix?: string;
  signal?: AbortSignal;
}

/**
 * Removes exactly one lock attempt (and its heartbeats), live or not, and no other. Returns its
 * holder as it was recorded (undefined if only heartbeats were left). For humans, after they
 * confirmed: the holder, if still working, finds out at its next heartbeat.
 */
export async function forceUnlock(store: Store, database: string, lockId: string, options: ForceUnlockOptions = {}): Promise<LockHolder | undefined> {
  const noSuchLock = (): never => {
    throw new BadInputError(`There is no lock ${lockId} on ${database}.`, 'Run "b2m status" to see the current lock and its id.');
  };
  if (!isAttemptId(lockId)) noSuchLock();
  const folder = lockFolder(options.prefix ?? '', database);
  const attempts = await scanAttempts(store, folder, database, DEFAULT_LOCK_TIMINGS.leaseMs, options.signal);
  const target = attempts.find((a) => a.attemptId === lockId) ?? noSuchLock();
  await deleteAttemptFiles(store, folder, lockId, target.allVersions, options.signal);
  return isClaim(target) ? holderOf(target, database) : undefined;
}
