import type { Store } from '../../store/store';
import { describeHolder } from '../describe';
import { holderOf, isClaim, isLive, latestRenewal, type Attempt } from './claims';
import { deleteAttemptFiles } from './delete-attempt';

/**
 * Removes attempts whose lease ran out (by `serverNow`, a lower bound of the server's clock),
 * and heartbeats left without an attempt, warning with the owner of every lock broken. A lease's
 * holder stops acting before its lease runs out, so this never takes a lock from a live holder.
 * Failures are reported, not thrown: the lease has run out whether or not its files are gone.
 */
export async function breakExpired(
  store: Store,
  folder: string,
  database: string,
  attempts: readonly Attempt[],
  serverNow: number,
  fallbackLeaseMs: number,
  onWarning?: (message: string) => void,
): Promise<void> {
  for (const attempt of attempts) {
    const expired = isClaim(attempt) ? !isLive(attempt, serverNow) : serverNow >= latestRenewal(attempt) + fallbackLeaseMs;
    if (!expired) continue;
    try {
      await deleteAttemptFiles(store, folder, attempt.attemptId, attempt.allVersions);
      if (isClaim(attempt)) onWarning?.(`Broke the expired lock on ${describeHolder(holderOf(attempt, database))}.`);
    } catch (e) {
      onWarning?.(`Could not remove the expired lock attempt ${attempt.attemptId} on ${database}: ${(e as Error).message}`);
    }
  }
}
