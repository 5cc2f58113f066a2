import { access } from 'node:fs/promises';

const SIDECAR_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

/**
 * The write-ahead log, shared-memory and rollback-journal files that exist beside a database.
 * Any of them means the database is open somewhere or a write did not finish, so the main file
 * alone is not the whole database.
 */
export async function sidecarFiles(dbPath: string): Promise<string[]> {
  const existing = await Promise.all(
    SIDECAR_SUFFIXES.map(async (suffix) => {
      const path = dbPath + suffix;
      try {
        await access(path);
        return path;
      } catch {
        return undefined;
      }
    }),
  );
  return existing.filter((path): path is string => path !== undefined);
}
