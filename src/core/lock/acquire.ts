import { LockBlockedError, LockLostError, RemoteError, throwIfAborted } from '../errors';
import type { Identity } from '../identity';
import type { OperationOptions } from '../progress';
import type { RemoteVersion, Store } from '../store/store';
import { sleep } from '../store/b2/retry-policy';
import { TOOL_VERSION } from '../tool-version';
import { attemptInfo, encodeAttemptBody, newAttemptRecord } from './attempts/attempt-record';
import { encodeProcessFacts, ownProcessFacts } from './process-facts';
import { compareClaims, holderOf, isClaim, isLive, serverNowAtLeast, type Attempt, type Claim } from './attempts/claims';
import { breakExpired } from './attempts/break-expired';
import { deleteAttemptFiles } from './attempts/delete-attempt';
import { Lease } from './lease';
import { lockFileName, lockFolder, newAttemptId } from './attempts/names';
import { scanAttempts } from './attempts/scan';
import { ownLeaseMs, resolveLockTimings, type LockTimings } from './timings';

export interface LockOptions extends OperationOptions {
  identity: Identity;
  /** What the lock is for, shown to others: 'sync', 'restore', 'manual'... */
  operation: string;
  /** The bucket's name prefix ('' or ending with '/'). */
  prefix?: string;
  timings?: Partial<LockTimings>;
  /** Told when an expired lock is broken, or when cleaning up an attempt failed. */
  onWarning?: (message: string) => void;
  /** The id of the first attempt, chosen beforehand (an upload started before the lock names it). */
  attemptId?: string;
}

/** Attempts in a row whose upload was too slow to count before acquireLock gives up. */
const SLOW_UPLOAD_TRIES = 3;

/**
 * Takes the lock of a database or throws: LockBlockedError naming the holder when someone else
 * holds it (or won the race), LockLostError if this attempt vanished or outlived its lease while
 * deciding, RemoteError when B2 fails (a lock folder that cannot be read never counts as free).
 * Every path that throws removes this process's attempt first.
 */
export async function acquireLock(store: Store, database: string, options: LockOptions): Promise<Lease> {
  const timings = resolveLockTimings(options.timings);
  const folder = lockFolder(options.prefix ?? '', database);
  const { signal } = options;
  throwIfAborted(signal);
  options.onProgress?.({ step: 'lock', message: `Locking ${database}` });

  const before = await scanAttempts(store, folder, database, timings.leaseMs, signal);
  const current = earliestLive(before, await serverNowAtLeast(store, before, signal));
  if (current) throw new LockBlockedError(holderOf(current, database));

  const placed = await placeAttempt(store, folder, database, timings, options);
  try {
    await sleep(timings.settleMs, signal);
    const listedAt = performance.now();
    const attempts = await scanAttempts(store, folder, database, timings.leaseMs, signal);
    // A lower bound of the server's clock when the listing was asked for: never overestimates.
    const serverNow = placed.version.uploadTimestamp + (listedAt - placed.receivedAt);
    const mine = attempts.find((a) => a.attemptId === placed.attemptId);
    if (!mine || !isClaim(mine)) throw new LockLostError(database, placed.attemptId, 'its lock attempt disappeared before the lock was decided');
    if (performance.now() >= placed.sentAt + ownLeaseMs(timings)) {
      throw new LockLostError(database, placed.attemptId, 'deciding who holds the lock took longer than the lease');
    }
    await breakExpired(store, folder, database, attempts.filter((a) => a !== mine), serverNow, timings.leaseMs, options.onWarning);
    const winner = earliestLive(attempts, serverNow, mine) ?? mine;
    if (winner !== mine) throw new LockBlockedError(holderOf(winner, database));
    return new Lease({ store, folder, holder: holderOf(mine, database), timings, attemptVersions: mine.attemptVersions, placedAt: placed.sentAt });
  } catch (e) {
    await removeOwnAttempt(store, folder, database, placed.attemptId, [placed.version], options.onWarning);
    throw e;
  }
}

function earliestLive(attempts: readonly Attempt[], serverNow: number, mine?: Claim): Claim | undefined {
  return attempts
    .filter(isClaim)
    .filter((c) => c === mine || isLive(c, serverNow))
    .sort(compareClaims)[0];
}

interface PlacedAttempt {
  attemptId: string;
  version: RemoteVersion;
  /** Local monotonic times around the upload. */
  sentAt: number;
  receivedAt: number;
}

/**
 * Uploads an attempt. One whose upload took longer than maxUploadMs may have become visible too
 * late for others to see it before they decided, so it is deleted and placed anew.
 */
async function placeAttempt(store: Store, folder: string, database: string, timings: LockTimings, options: LockOptions): Promise<PlacedAttempt> {
  const { signal } = options;
  for (let tries = 1; ; tries++) {
    const attemptId = tries === 1 && options.attemptId ? options.attemptId : newAttemptId();
    const facts = ownProcessFacts();
    const record = newAttemptRecord(attemptId, database, options.identity, options.operation, timings.leaseMs, TOOL_VERSION, process.pid, facts && encodeProcessFacts(facts));
    const sentAt = performance.now();
    let version: RemoteVersion;
    try {
      version = await store.uploadBytes(lockFileName(folder, attemptId, 'attempt'), encodeAttemptBody(record), {
        info: attemptInfo(record),
        contentType: 'application/json',
        signal,
      });
    } catch (e) {
      // The upload may have landed even though no answer came back.
      await removeOwnAttempt(store, folder, database, attemptId, [], options.onWarning);
      throw e;
    }
    const receivedAt = performance.now();
    const tookMs = receivedAt - sentAt;
    if (tookMs <= timings.maxUploadMs) return { attemptId, version, sentAt, receivedAt };
    await removeOwnAttempt(store, folder, database, attemptId, [version], options.onWarning);
    if (tries === SLOW_UPLOAD_TRIES) {
      throw new RemoteError(
        `Could not place a lock attempt on ${database}: ${tries} uploads in a row took longer than ${timings.maxUploadMs} ms (the last ${Math.round(tookMs)} ms).`,
        'lock',
        undefined,
        'slow-lock-upload',
        'Try again; on a slow connection raise lock.maxUploadSeconds and lock.settleSeconds in b2m.json.',
      );
    }
    await sleep(Math.random() * timings.settleMs, signal);
  }
}

/** Best effort: a leftover attempt only blocks others until its lease runs out. */
async function removeOwnAttempt(
  store: Store,
  folder: string,
  database: string,
  attemptId: string,
  known: RemoteVersion[],
  onWarning?: (message: string) => void,
): Promise<void> {
  try {
    await deleteAttemptFiles(store, folder, attemptId, known);
  } catch (e) {
    onWarning?.(`Could not remove lock attempt ${attemptId} on ${database} (${(e as Error).message}); it runs out with its lease.`);
  }
}
