import { open } from 'node:fs/promises';
import { BadInputError } from '../errors';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Whether `path` is a file that starts with the 16-byte SQLite header (false if it is missing). */
export async function isSqliteFile(path: string): Promise<boolean> {
  return (await readHeader(path)) === 'sqlite';
}

/** Throws a BadInputError naming `path` unless it is an existing SQLite database file. */
export async function assertSqliteFile(path: string): Promise<void> {
  const header = await readHeader(path);
  if (header === 'missing') {
    throw new BadInputError(`${path} does not exist.`, 'Check the path, or download the database first.');
  }
  if (header === 'other') {
    throw new BadInputError(
      `${path} is not a SQLite database (it does not start with the header "SQLite format 3").`,
      'Point b2m at a SQLite database file; if this one should be one, it is damaged: restore it from a backup or download it again.',
    );
  }
}

async function readHeader(path: string): Promise<'sqlite' | 'other' | 'missing'> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    const buffer = Buffer.alloc(SQLITE_HEADER.length);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return bytesRead === buffer.length && buffer.equals(SQLITE_HEADER) ? 'sqlite' : 'other';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') return 'other';
    throw e;
  } finally {
    await handle.close();
  }
}
