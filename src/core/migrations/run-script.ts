import { CancelledError } from '../errors';
import { runPython } from '../sqlite/python-process';
import { sidecarFiles } from '../sqlite/sidecars';
import type { Migration } from './discover';
import { MigrationFailedError, type MigrationFailure } from './errors';
import { MIGRATION_HARNESS, OPEN_TRANSACTION_EXIT } from './harness';

export interface MigrationRunResult {
  migration: Migration;
  /** 'already-applied': the database had recorded this id, so the script was not run again. */
  status: 'applied' | 'already-applied';
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface ScriptRunOptions {
  python: string;
  /** Time limit of each script. */
  timeoutMs: number;
  /** Recorded as `applied_by`. */
  author: string;
  signal?: AbortSignal;
  /** Working folder of the scripts; the current one by default. */
  cwd?: string;
}

/**
 * Runs one migration on the scratch database through the harness, which also records it.
 * `unchanged` names what the caller keeps untouched, for the messages (e.g. "app.db was not changed").
 */
export async function runMigrationScript(
  scratchPath: string,
  migration: Migration,
  options: ScriptRunOptions,
  unchanged: string,
): Promise<MigrationRunResult> {
  const run = await runPython({
    python: options.python,
    args: ['-c', MIGRATION_HARNESS, migration.path, scratchPath, migration.id, migration.phrase, migration.checksum, options.author],
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    cwd: options.cwd,
  });
  const fail = (reason: MigrationFailure, what: string, fix = 'Fix the script and run it again.'): MigrationFailedError =>
    new MigrationFailedError(
      `Migration ${migration.fileName} failed: it ${what}.`,
      migration,
      reason,
      run.stdout,
      run.stderr,
      run.exitCode,
      run.signal,
      `${unchanged} ${fix}`,
    );
  if (run.cancelled) throw new CancelledError(`Cancelled while running ${migration.fileName}. ${unchanged}`);
  if (run.timedOut) throw fail('timeout', `did not finish within ${options.timeoutMs} ms and was stopped, with any processes it started`);
  if (run.exitCode === undefined) throw fail('exit', `was ended by ${run.signal}`);
  if (run.exitCode === OPEN_TRANSACTION_EXIT) {
    throw fail(
      'unfinished-write',
      'left a transaction open: its changes were neither committed nor rolled back when it returned',
      'Commit before the script ends: make the changes inside "with conn:" or call conn.commit(), then conn.close(); or use the template of "b2m migrations create", which does both.',
    );
  }
  if (run.exitCode !== 0) throw fail('exit', `exited with code ${run.exitCode}`);
  const leftovers = await sidecarFiles(scratchPath);
  if (leftovers.length > 0) {
    throw fail('unfinished-write', `left ${leftovers.join(', ')} behind, so its writes may not be complete (close every connection it opens)`);
  }
  return { migration, status: 'applied', stdout: run.stdout, stderr: run.stderr, durationMs: run.durationMs };
}
