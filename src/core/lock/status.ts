import type { LockHolder } from '../errors';
import type { RemoteVersion, Store } from '../store/store';
import { compareClaims, holderOf, isClaim, isLive, isMine, serverNowAtLeast, type Attempt } from './attempts/claims';
import { lockFolder } from './attempts/names';
import { attemptsIn, scanAttempts } from './attempts/scan';
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
  const attempts = await scanAttempts(store, lockFolder(options.prefix ?? '', database), database, options.leaseMs ?? DEFAULT_LOCK_TIMINGS.leaseMs, options.signal);
  return statusOf(store, attempts, database, options);
}

/** The lock status of several databases from one listing of every lock folder. */
export async function readLockStatuses(store: Store, databases: readonly string[], options: LockStatusOptions = {}): Promise<Map<string, LockStatus>> {
  const { signal } = options;
  const prefix = options.prefix ?? '';
  const versions: RemoteVersion[] = [];
  for await (const version of store.listVersions(`${prefix}.b2m/locks/`, { signal })) versions.push(version);
  const statuses = new Map<string, LockStatus>();
  for (const database of databases) {
    const attempts = await attemptsIn(store, versions, lockFolder(prefix, database), database, options.leaseMs ?? DEFAULT_LOCK_TIMINGS.leaseMs, signal);
    statuses.set(database, await statusOf(store, attempts, database, options));
  }
  return statuses;
}

async function statusOf(store: Store, attempts: Attempt[], database: string, options: LockStatusOptions): Promise<LockStatus> {
  const serverTime = await serverNowAtLeast(store, attempts, options.signal);
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
