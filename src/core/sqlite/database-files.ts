import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Deletes a (scratch) database together with any -wal, -shm or -journal file beside it. */
export async function removeDatabaseFiles(dbPath: string): Promise<void> {
  await Promise.all(['', '-wal', '-shm', '-journal'].map((suffix) => rm(dbPath + suffix, { force: true })));
}

/**
 * Moves a finished file over `targetPath` so that, even after a crash, the target is either the
 * old file or the complete new one: the bytes are flushed before the rename and the folder after.
 * Both paths must be in the same folder.
 */
export async function replaceFileDurably(sourcePath: string, targetPath: string): Promise<void> {
  await syncPath(sourcePath, 'r+');
  await rename(sourcePath, targetPath);
  if (process.platform !== 'win32') await syncPath(dirname(targetPath), 'r');
}

async function syncPath(path: string, flags: string): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
