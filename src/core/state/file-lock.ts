import { open, rm, stat } from 'node:fs/promises';

/** A lock left by a process that died holding it is taken over after this long (its work takes milliseconds). */
const STALE_MS = 30_000;
const RETRY_MS = 15;

/**
 * Runs `work` while holding `<path>.lock`, created exclusively, so that read-modify-write updates of
 * one small file by several processes (two syncs in one workspace) never lose each other's changes.
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  for (;;) {
    try {
      await (await open(lock, 'wx')).close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_MS) await rm(lock, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}
