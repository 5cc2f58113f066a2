import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Workspace } from '../config';
import { b2mDir } from '../paths';
import { writeFileAtomically } from '../state/atomic-write';

/** Until this machine has measured one: SQLite's checks read about this many bytes per millisecond. */
const FIRST_GUESS_BYTES_PER_MS = 100_000;

function ratePath(ws: Workspace): string {
  return join(b2mDir(ws), 'cache', 'verify-rate.json');
}

/**
 * Runs a verification of `bytes` and says, while it runs, when it should end: from the speed of
 * the last verifications on this machine. A publish takes the lock so that the lock's settle wait
 * ends about when verification does, instead of after it, without holding the lock while a long
 * verification goes on.
 */
export async function timedVerification<T>(ws: Workspace, bytes: number, verify: () => Promise<T>): Promise<{ done: Promise<T>; expectedEnd: number }> {
  const rate = await readFile(ratePath(ws), 'utf8')
    .then((text) => (JSON.parse(text) as { bytesPerMs?: number }).bytesPerMs)
    .catch(() => undefined);
  const started = Date.now();
  const expectedEnd = started + bytes / (rate && rate > 0 ? rate : FIRST_GUESS_BYTES_PER_MS);
  const done = verify().then(async (result) => {
    const tookMs = Math.max(1, Date.now() - started);
    // Kept when measured on a database large enough to say something; a cache: losing it only costs a guess.
    if (bytes >= 10_000_000) await writeFileAtomically(ratePath(ws), JSON.stringify({ bytesPerMs: bytes / tookMs })).catch(() => undefined);
    return result;
  });
  return { done, expectedEnd };
}

/** Resolves when `work` settles, or `marginMs` before `expectedEnd`, whichever comes first; never rejects. */
export function nearTheEnd(work: Promise<unknown>, expectedEnd: number, marginMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, expectedEnd - marginMs - Date.now()));
    void work.then(
      () => resolve(),
      () => resolve(),
    ).finally(() => clearTimeout(timer));
  });
}

/**
 * Settles once the decisions a publish waits for went its way (destructive changes accepted, no
 * conflict), so it may take the lock. A "no" rejects only once `verified` settles, with
 * verification's error if it failed too: a damaged candidate is an integrity failure, whatever
 * else was decided about it.
 */
export function decidedAfterVerification(verified: Promise<unknown>, decisions: Promise<unknown>): Promise<void> {
  return decisions.then(
    () => undefined,
    async (refusal: unknown) => {
      await verified;
      throw refusal;
    },
  );
}
