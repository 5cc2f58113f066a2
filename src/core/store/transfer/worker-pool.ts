import { CancelledError } from '../../errors';

/** Work on one item; `signal` aborts when the caller cancels or another item failed for good. */
export type PoolWork<T> = (item: T, signal: AbortSignal) => Promise<void>;

/**
 * Runs `work` on every item, at most `concurrency` at a time, taking items in list order: the one
 * worker pool behind large-file parts and download ranges. The first failure stops the other workers
 * and is the error thrown (not the cancellations it caused); a cancelled caller gets a
 * CancelledError naming `what`. Every worker has finished when this returns or throws.
 */
export async function runPool<T>(items: readonly T[], concurrency: number, work: PoolWork<T>, what: string, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw new CancelledError(`Cancelled ${what}.`);
  const stopWorkers = new AbortController();
  const workerSignal = signal ? AbortSignal.any([signal, stopWorkers.signal]) : stopWorkers.signal;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !workerSignal.aborted) {
      await work(items[next++] as T, workerSignal);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, () =>
    worker().catch((error: unknown) => {
      stopWorkers.abort();
      throw error;
    }),
  );
  const results = await Promise.allSettled(workers);
  if (signal?.aborted) throw new CancelledError(`Cancelled ${what}.`);
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const cause = failures.find((e) => !(e instanceof CancelledError)) ?? failures[0];
  if (cause !== undefined) throw cause;
}
