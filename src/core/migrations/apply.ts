import { constants } from 'node:fs';
import { copyFile, rename } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { BadInputError, throwIfAborted } from '../errors';
import type { OperationOptions } from '../progress';
import { removeDatabaseFiles, replaceFileDurably } from '../sqlite/database-files';
import { assertSqliteFile } from '../sqlite/header';
import { findProcessesHoldingOpen } from '../sqlite/holders';
import { readAppliedMigrations } from '../sqlite/migrations-table';
import { DEFAULT_PYTHON } from '../sqlite/python-process';
import { sidecarFiles } from '../sqlite/sidecars';
import { consistentSnapshot } from '../sqlite/snapshot';
import type { Migration } from './discover';
import { MigrationFailedError } from './errors';
import { byId } from './naming';
import { runMigrationScript, type MigrationRunResult, type ScriptRunOptions } from './run-script';

export interface ApplyMigrationsOptions extends OperationOptions {
  /** The Python command; `python3` by default. */
  python?: string;
  /** Time limit of each script; it is killed (with its subprocesses) when it runs longer. */
  timeoutMs: number;
  /** Recorded as `applied_by` (e.g. "ada@laptop"). */
  author: string;
  /** Working folder of the scripts; the current one by default. */
  cwd?: string;
}

/**
 * Applies migrations, in id order, to the database at `dbPath`, all or nothing. They run on a
 * scratch copy beside it; only when every script has succeeded and recorded itself in
 * `_b2m_migrations` does the copy replace the database (fsync, then an atomic rename). On any
 * failure, timeout or cancellation the copy is deleted and `dbPath` is untouched byte for byte.
 * Ids the database already recorded are not run again ('already-applied'); if nothing is left to
 * run, the database is not rewritten.
 *
 * Scripts are not verified here: one that damages the file without breaking SQLite's ability to
 * record it passes; run `verifyDatabase` on the result before trusting or uploading it.
 */
export async function applyMigrations(
  dbPath: string,
  migrations: readonly Migration[],
  options: ApplyMigrationsOptions,
): Promise<MigrationRunResult[]> {
  await assertSqliteFile(dbPath);
  await refuseIfInUse(dbPath);
  return runOnScratch(dbPath, dbPath, migrations, options, `${dbPath} was not changed.`, {
    keepUnchanged: false,
    durable: true,
    quiescentSource: false,
    beforeReplace: () => refuseIfInUse(dbPath),
  });
}

export interface TestMigrationsOptions extends ApplyMigrationsOptions {
  /** Where to keep the migrated copy (replaced if it exists); must not be the database itself. A scratch file: not flushed to disk. */
  outputPath: string;
  /**
   * The database is a file no program has open and none writes (a b2m snapshot): it is copied as it
   * is (a copy-on-write clone where the file system offers one) instead of through SQLite's backup.
   */
  quiescentSource?: boolean;
}

/**
 * Runs migrations on a consistent copy of `dbPath` (which may be open or in WAL mode) and keeps
 * the result at `outputPath`, never touching `dbPath`: `b2m migrations test` diffs the two.
 * `outputPath` is written only when every script succeeded.
 */
export async function testMigrations(
  dbPath: string,
  migrations: readonly Migration[],
  options: TestMigrationsOptions,
): Promise<MigrationRunResult[]> {
  await assertSqliteFile(dbPath);
  if (resolve(options.outputPath) === resolve(dbPath)) {
    throw new BadInputError(`The test output ${options.outputPath} is the database itself.`, 'Choose another output file.');
  }
  return runOnScratch(dbPath, options.outputPath, migrations, options, `${dbPath} was not changed and ${options.outputPath} was not written.`, {
    keepUnchanged: true,
    durable: false,
    quiescentSource: options.quiescentSource === true,
  });
}

async function runOnScratch(
  sourcePath: string,
  destinationPath: string,
  migrations: readonly Migration[],
  options: ApplyMigrationsOptions,
  unchanged: string,
  how: { keepUnchanged: boolean; durable: boolean; quiescentSource: boolean; beforeReplace?: () => Promise<void> },
): Promise<MigrationRunResult[]> {
  const scriptOptions: ScriptRunOptions = { ...options, python: options.python ?? DEFAULT_PYTHON };
  const helperOptions = { python: scriptOptions.python, signal: options.signal };
  // Beside the destination, so the final rename stays within one file system and is atomic.
  const scratch = join(dirname(destinationPath), `.${basename(destinationPath)}.b2m-scratch-${randomBytes(6).toString('hex')}`);
  try {
    if (how.quiescentSource) await copyFile(sourcePath, scratch, constants.COPYFILE_FICLONE);
    else await consistentSnapshot(sourcePath, scratch, { ...helperOptions, durable: false });
    const recorded = new Set((await readAppliedMigrations(scratch, helperOptions)).map((row) => row.id));
    const ordered = [...migrations].sort(byId);
    const results: MigrationRunResult[] = [];
    for (const [index, migration] of ordered.entries()) {
      throwIfAborted(options.signal);
      options.onProgress?.({ step: 'migrate', message: `Running ${migration.fileName}`, done: index, total: ordered.length });
      results.push(
        recorded.has(migration.id)
          ? { migration, status: 'already-applied', stdout: '', stderr: '', durationMs: 0 }
          : await runMigrationScript(scratch, migration, scriptOptions, unchanged),
      );
    }
    const ran = results.filter((result) => result.status === 'applied');
    await confirmRecorded(scratch, ran, helperOptions, unchanged);
    options.onProgress?.({ step: 'migrate', message: `Ran ${ran.length} of ${ordered.length} migrations`, done: ordered.length, total: ordered.length });
    if (ran.length > 0 || how.keepUnchanged) {
      await how.beforeReplace?.();
      throwIfAborted(options.signal);
      // A scratch result needs no flush: only a database that replaces the user's file does.
      if (how.durable) await replaceFileDurably(scratch, destinationPath);
      else await rename(scratch, destinationPath);
    } else {
      await removeDatabaseFiles(scratch);
    }
    return results;
  } catch (e) {
    await removeDatabaseFiles(scratch);
    throw e;
  }
}

/** Catches a script that ended the process itself (os._exit) before the harness recorded it. */
async function confirmRecorded(
  scratch: string,
  ran: readonly MigrationRunResult[],
  helperOptions: { python: string; signal?: AbortSignal },
  unchanged: string,
): Promise<void> {
  if (ran.length === 0) return;
  const rows = new Map((await readAppliedMigrations(scratch, helperOptions)).map((row) => [row.id, row]));
  for (const { migration, stdout, stderr } of ran) {
    if (rows.get(migration.id)?.checksum !== migration.checksum) {
      throw new MigrationFailedError(
        `Migration ${migration.fileName} failed: it ended Python before b2m could record it (does it call os._exit?).`,
        migration,
        'not-recorded',
        stdout,
        stderr,
        undefined,
        undefined,
        `${unchanged} Let the script return normally.`,
      );
    }
  }
}

/** Replacing a database that is open elsewhere (or has a hot journal) would lose or corrupt data. */
async function refuseIfInUse(dbPath: string): Promise<void> {
  const sidecars = await sidecarFiles(dbPath);
  if (sidecars.length === 0) return;
  const holders = await findProcessesHoldingOpen(dbPath);
  const who = holders.length > 0 ? ` by ${holders.map((h) => `${h.command} (pid ${h.pid})`).join(', ')}` : '';
  throw new BadInputError(
    `${dbPath} is in use${who}: ${sidecars.join(', ')} exist beside it, so replacing it now could lose data.`,
    'Close the programs that have the database open, then try again. Nothing was changed.',
  );
}
