import type { LockHolder } from '../../errors';
import type { RemoteVersion, Store } from '../../store/store';
import type { AttemptRecord } from './attempt-record';

/** One lock attempt as found in the lock folder: its files and what it says about its holder. */
export interface Attempt {
  attemptId: string;
  /** Uploaded versions of the attempt file; more than one when an upload was retried. */
  attemptVersions: RemoteVersion[];
  heartbeatVersions: RemoteVersion[];
  /** Every version under the attempt's names (hide markers included): what removing it deletes. */
  allVersions: RemoteVersion[];
  /** Undefined when only heartbeats are left (the attempt file was removed). */
  record?: AttemptRecord;
}

/** An attempt that has its attempt file: the only kind that can hold a lock. */
export type Claim = Attempt & { record: AttemptRecord };

export function isClaim(attempt: Attempt): attempt is Claim {
  return attempt.record !== undefined && attempt.attemptVersions.length > 0;
}

/** The attempt's place in line: its first upload (server clock, then file id). */
export function claimVersion(claim: Claim): RemoteVersion {
  return claim.attemptVersions.reduce((a, b) => (compareVersions(a, b) <= 0 ? a : b));
}

export function compareClaims(a: Claim, b: Claim): number {
  return compareVersions(claimVersion(a), claimVersion(b));
}

function compareVersions(a: RemoteVersion, b: RemoteVersion): number {
  if (a.uploadTimestamp !== b.uploadTimestamp) return a.uploadTimestamp - b.uploadTimestamp;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The latest server time the attempt was placed or renewed. */
export function latestRenewal(attempt: Attempt): number {
  return Math.max(...[...attempt.attemptVersions, ...attempt.heartbeatVersions].map((v) => v.uploadTimestamp));
}

/**
 * The server's clock, estimated without overestimating: the store's estimate (from a Date header,
 * whole seconds) or the newest upload seen, whichever is later.
 */
export async function serverNowAtLeast(store: Store, attempts: readonly Attempt[], signal?: AbortSignal): Promise<number> {
  const newest = Math.max(...attempts.flatMap((a) => a.allVersions.map((v) => v.uploadTimestamp)));
  return Math.max(await store.serverTime({ signal }), newest);
}

export function leaseExpiry(claim: Claim): number {
  return latestRenewal(claim) + claim.record.leaseMs;
}

/** Live while the server clock is before the lease's expiry; `serverNow` must not overestimate. */
export function isLive(claim: Claim, serverNow: number): boolean {
  return serverNow < leaseExpiry(claim);
}

export function holderOf(claim: Claim, database: string): LockHolder {
  const { record } = claim;
  return {
    lockId: claim.attemptId,
    database,
    owner: record.owner,
    host: record.host,
    session: record.session,
    ...(record.pid > 0 ? { pid: record.pid } : {}),
    ...(record.process ? { process: record.process } : {}),
    operation: record.operation,
    since: claimVersion(claim).uploadTimestamp,
    expires: leaseExpiry(claim),
  };
}

export function isMine(holder: Pick<LockHolder, 'session'>, session: string): boolean {
  return holder.session === session;
}
