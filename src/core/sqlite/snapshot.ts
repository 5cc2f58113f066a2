import { rename } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { assertSqliteFile } from './header';
import { runSqliteHelper, type SqliteHelperOptions } from './python-helper';
import { removeDatabaseFiles, replaceFileDurably } from './database-files';

/**
 * Copies a database with SQLite's backup API: the copy is consistent even when the source is in
 * WAL mode with writes not yet checkpointed, or open and being written by another process. The
 * copy uses a rollback journal (journal_mode=DELETE), so the single file is the whole database.
 * The source is only read; `destPath` appears complete (temp file, fsync, rename) or not at all.
 */
export async function consistentSnapshot(srcPath: string, destPath: string, options: SqliteHelperOptions & { durable?: boolean } = {}): Promise<void> {
  await assertSqliteFile(srcPath);
  const tempPath = join(dirname(destPath), `.${basename(destPath)}.b2m-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await runSqliteHelper<true>('snapshot', srcPath, [srcPath, tempPath], options);
    // A scratch copy (durable: false) needs no flush to disk.
    if (options.durable === false) await rename(tempPath, destPath);
    else await replaceFileDurably(tempPath, destPath);
  } catch (e) {
    await removeDatabaseFiles(tempPath);
    throw e;
  }
}
