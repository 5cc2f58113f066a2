import { CancelledError } from '../errors';
import { CheckScriptFailedError, DatabaseIntegrityError } from './errors';
import { assertSqliteFile } from './header';
import { runSqliteHelper } from './python-helper';
import { DEFAULT_PYTHON, runPython } from './python-process';

/**
 * How thoroughly SQLite checks the database: 'full' runs `PRAGMA integrity_check`; 'quick' runs
 * `PRAGMA quick_check`, much faster on large databases but blind to indexes that disagree with
 * their tables.
 */
export type VerifyMode = 'full' | 'quick';

export interface VerifyOptions {
  /** 'full' by default. */
  mode?: VerifyMode;
  /** A Python script run as `python <checkScript> <dbPath>`; a non-zero exit rejects the database. */
  checkScript?: string;
  python?: string;
  /** Time limit of the check script. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Working folder of the check script. */
  cwd?: string;
}

export interface VerifyResult {
  /** What the check script printed, when there is one. */
  checkScript?: { stdout: string; stderr: string; durationMs: number };
}

const MAX_REPORTED_PROBLEMS = 100;

/**
 * Checks a database: `PRAGMA integrity_check` (or `quick_check`, see `mode`), `PRAGMA
 * foreign_key_check`, then the optional check script. Throws a DatabaseIntegrityError (kind
 * 'integrity') listing what SQLite found, or a CheckScriptFailedError (kind 'verification') with
 * the script's output. The database is only read by b2m; the check script gets its path and is
 * trusted not to modify it.
 */
export async function verifyDatabase(dbPath: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  await assertSqliteFile(dbPath);
  const python = options.python ?? DEFAULT_PYTHON;
  const problems = await runSqliteHelper<string[]>('check', dbPath, [dbPath, String(MAX_REPORTED_PROBLEMS), options.mode ?? 'full'], {
    python,
    signal: options.signal,
  });
  if (problems.length > 0) {
    throw new DatabaseIntegrityError(
      dbPath,
      problems,
      'The database was not changed by b2m. Fix the data (or the migration that broke it) and try again.',
    );
  }
  if (options.checkScript === undefined) return {};
  return { checkScript: await runCheckScript(dbPath, options.checkScript, python, options) };
}

async function runCheckScript(
  dbPath: string,
  checkScript: string,
  python: string,
  options: VerifyOptions,
): Promise<NonNullable<VerifyResult['checkScript']>> {
  const run = await runPython({
    python,
    args: [checkScript, dbPath],
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    cwd: options.cwd,
  });
  if (run.cancelled) throw new CancelledError(`Cancelled while the check script ${checkScript} was running.`);
  if (run.exitCode === 0) return { stdout: run.stdout, stderr: run.stderr, durationMs: run.durationMs };
  const how = run.timedOut
    ? `did not finish within ${options.timeoutMs} ms and was stopped`
    : run.exitCode === undefined
      ? `was ended by ${run.signal}`
      : `exited with code ${run.exitCode}`;
  throw new CheckScriptFailedError(
    `The check script ${checkScript} rejected ${dbPath}: it ${how}.`,
    checkScript,
    run.stdout,
    run.stderr,
    run.exitCode,
    run.signal,
    'Fix the data or the migration the check script complains about, then try again.',
  );
}
