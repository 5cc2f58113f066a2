import { relative } from 'node:path';
import { B2mError } from '../errors';
import { MigrationFailedError } from '../migrations/errors';
import { CheckScriptFailedError, DatabaseIntegrityError } from '../sqlite/errors';
import { lastLines } from '../sqlite/python-process';
import type { CheckFailure } from './types';

const NOTHING_CHANGED = 'Nothing was changed: check works on a copy, never on your database or the bucket.';

/**
 * Failures that belong in the report of one database (a script, a verification, the scripts
 * folder, a download that failed its SHA-1), as opposed to those that stop the whole check
 * (credentials, B2 unreachable, cancelled).
 */
export function isDatabaseFailure(e: unknown): e is B2mError {
  return e instanceof B2mError && (e.kind === 'verification' || e.kind === 'integrity' || e.kind === 'bad-input');
}

/** The failure for the report, worded without the scratch files check worked on. */
export function describeFailure(e: B2mError, database: string, root: string): CheckFailure {
  if (e instanceof MigrationFailedError) {
    const output = lastLines(e.stderr);
    return {
      kind: e.kind,
      message: e.summary,
      hint: `Fix the script and run "b2m check" again. ${NOTHING_CHANGED}`,
      script: e.migration.fileName,
      ...(output ? { output } : {}),
    };
  }
  if (e instanceof DatabaseIntegrityError) {
    return {
      kind: e.kind,
      message: `After the scripts ran, ${database} fails SQLite's integrity checks.`,
      hint: `Fix the script that breaks it (a foreign key to a missing row, most often). ${NOTHING_CHANGED}`,
      output: e.problems.join('\n'),
    };
  }
  if (e instanceof CheckScriptFailedError) {
    const output = lastLines(e.stderr || e.stdout);
    return {
      kind: e.kind,
      message: `The check script ${relative(root, e.checkScript)} rejected ${database} after the scripts ran (${e.exitCode === undefined ? 'it did not finish' : `exit code ${e.exitCode}`}).`,
      hint: `Fix the data or the script it complains about. ${NOTHING_CHANGED}`,
      ...(output ? { output } : {}),
    };
  }
  // The details (a list of bad script names, a program's output) go under the message, unindented.
  const output = e.details
    ?.split('\n')
    .map((line) => line.trim())
    .join('\n');
  return { kind: e.kind, message: e.summary, ...(e.hint ? { hint: e.hint } : {}), ...(output ? { output } : {}) };
}
