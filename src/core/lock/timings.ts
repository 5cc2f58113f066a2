import type { B2mConfig } from '../config';
import { BadInputError } from '../errors';

/**
 * The lock's timings. Safety needs settleMs > maxUploadMs (plus a margin for visibility delays);
 * a lease must outlast an acquisition several times over so heartbeats can renew it in time.
 */
export interface LockTimings {
  /** A lease runs out this long after its attempt or latest heartbeat started uploading (server clock). */
  leaseMs: number;
  /** Wait between placing an attempt and listing again to decide the winner. */
  settleMs: number;
  /** An attempt or heartbeat whose upload takes longer than this does not count. */
  maxUploadMs: number;
}

export const DEFAULT_LOCK_TIMINGS: LockTimings = { leaseMs: 120_000, settleMs: 3_000, maxUploadMs: 2_000 };

export function lockTimingsFromConfig(lock: B2mConfig['lock']): LockTimings {
  return resolveLockTimings({
    leaseMs: lock.leaseSeconds * 1000,
    settleMs: lock.settleSeconds * 1000,
    maxUploadMs: lock.maxUploadSeconds * 1000,
  });
}

export function resolveLockTimings(partial: Partial<LockTimings> = {}): LockTimings {
  const timings = { ...DEFAULT_LOCK_TIMINGS, ...partial };
  const { leaseMs, settleMs, maxUploadMs } = timings;
  if (![leaseMs, settleMs, maxUploadMs].every((v) => Number.isFinite(v) && v > 0)) {
    throw new BadInputError('Lock timings must be positive numbers.');
  }
  if (settleMs <= maxUploadMs) {
    throw new BadInputError('The lock settle time must be longer than the longest accepted upload (lock.maxUploadSeconds).');
  }
  if (leaseMs < 3 * settleMs) {
    throw new BadInputError('The lock lease must be at least three times the settle time, so that heartbeats can renew it.');
  }
  return timings;
}

/** How often a holder renews its lease. */
export function heartbeatIntervalMs(timings: LockTimings): number {
  return timings.leaseMs / 3;
}

/**
 * How long after starting an upload that renewed the lease its holder may still act. Others
 * only break a lease `leaseMs` after its latest renewal started on the server; the holder stops
 * `settleMs` earlier, so a renewal it sends before then (visible within maxUploadMs) is always
 * seen by anyone deciding that the lease ran out.
 */
export function ownLeaseMs(timings: LockTimings): number {
  return timings.leaseMs - timings.settleMs;
}
