import type { LockHolder } from '../errors';
import type { Store } from '../store/store';
import { compareClaims, holderOf, isClaim, isLive, isMine, serverNowAtLeast } from './attempts';
import { lockFolder } from './names';
import { scanAttempts } from './scan';
import { DEFAULT_LOCK_TIMINGS } from './timings';

export interface LockStatus {
  /** 'stale': nobody holds the lock, but expired attempts are left (anyone locking breaks them). */
  state: 'free' | 'held' | 'stale';
  /** The earliest live attempt: the holder, or the one about to win. */
  holder?: LockHolder & { isMine: boolean };
  /** Attempts whose lease ran out. */
  stale: LockHolder[];
  /** The server's clock used to judge the leases. */
  serverTime: number;
}

export interface LockStatusOptions {
  prefix?: string;
  /** This process's session id, to tell "locked by me" from "locked by someone else". */
  session?: string;
  /** Lease assumed for attempts that do not say theirs. */
  leaseMs?: number;
  signal?: AbortSignal;
}

/** Who holds the lock of a database, for status displays. Read-only; throws if the folder cannot be read. */
export async function readLockStatus(store: Store, database: string, options: LockStatusOptions = {}): Promise<LockStatus> {
  const { signal } = options;
  const attempts = await scanAttempts(store, lockFolder(options.prefix ?? '', database), database, options.leaseMs ?? DEFAULT_LOCK_TIMINGS.leaseMs, signal);
  const serverTime = await serverNowAtLeast(store, attempts, signal);
  const claims = attempts.filter(isClaim);
  const live = claims.filter((c) => isLive(c, serverTime)).sort(compareClaims);
  const stale = claims.filter((c) => !isLive(c, serverTime)).sort(compareClaims).map((c) => holderOf(c, database));
  const first = live[0];
  if (first) {
    const holder = holderOf(first, database);
    return { state: 'held', holder: { ...holder, isMine: options.session !== undefined && isMine(holder, options.session) }, stale, serverTime };
  }
  return { state: stale.length > 0 ? 'stale' : 'free', stale, serverTime };
}
