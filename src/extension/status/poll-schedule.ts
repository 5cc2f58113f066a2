/** Longest wait between status reads after repeated failures. */
export const MAX_BACKOFF_MS = 10 * 60_000;

/** The wait before the next status read: the interval, doubled for each failure in a row (capped). */
export function nextPollDelay(intervalMs: number, consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return intervalMs;
  return Math.min(Math.max(intervalMs, MAX_BACKOFF_MS), intervalMs * 2 ** Math.min(consecutiveFailures, 16));
}
