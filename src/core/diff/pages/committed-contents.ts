import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { consistentSnapshot } from '../../sqlite/snapshot';

export interface CommittedContentsOptions {
  /** The Python command that takes snapshots; `python3` by default. */
  python?: string;
  /** Where snapshots are written (and always removed); the OS temp folder by default. */
  scratchDir?: string;
  signal?: AbortSignal;
}

/**
 * Runs `use` on files that hold what SQLite sees in each of `paths`. The differ reads a file's
 * pages itself, so a change committed to a write-ahead log (`<file>-wal`) but not yet checkpointed
 * into the file would go unseen: such a file is replaced by a consistent snapshot taken through
 * SQLite (the user's file and its log are only read). Snapshots are removed afterwards, whatever
 * happens.
 */
export async function withCommittedContents<T>(paths: string[], options: CommittedContentsOptions, use: (paths: string[]) => Promise<T>): Promise<T> {
  const pending = await Promise.all(paths.map(hasPendingLog));
  if (!pending.some(Boolean)) return use(paths);
  const folder = await mkdtemp(join(options.scratchDir ?? tmpdir(), 'b2m-diff-'));
  try {
    const readable: string[] = [];
    for (const [i, path] of paths.entries()) {
      if (!pending[i]) {
        readable.push(path);
        continue;
      }
      const snapshot = join(folder, `${i}-${basename(path)}`);
      await consistentSnapshot(path, snapshot, { ...(options.python ? { python: options.python } : {}), ...(options.signal ? { signal: options.signal } : {}) });
      readable.push(snapshot);
    }
    return await use(readable);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Whether a non-empty write-ahead log lies beside the file. */
async function hasPendingLog(path: string): Promise<boolean> {
  try {
    return (await stat(`${path}-wal`)).size > 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}
