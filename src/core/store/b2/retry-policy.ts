import { CancelledError } from '../../errors';

/** How often and how patiently a failed B2 call is tried again (b2sdk's defaults: 1 s x1.5, at most 64 s). */
export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /**
   * Attempts, and the wait between them, when the connection is refused: nothing listens there, which
   * rarely changes within seconds, so one quick retry covers a server that is just starting.
   */
  refusedAttempts: number;
  refusedDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 1000,
  factor: 1.5,
  maxDelayMs: 64_000,
  refusedAttempts: 2,
  refusedDelayMs: 250,
};

/**
 * Delay before retry number `retry` (1 for the first retry): exponential, capped, with ±25 % jitter
 * so that parallel uploaders hitting the same 503 do not come back in lockstep.
 */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** (retry - 1));
  return Math.round(exponential * (0.75 + 0.5 * random()));
}

/** Waits `ms`, or rejects with a CancelledError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
