import { B2mError, IntegrityError } from '../errors';
import { lastLines } from './python-process';

/** `PRAGMA integrity_check` or `PRAGMA foreign_key_check` found problems in a database. */
export class DatabaseIntegrityError extends IntegrityError {
  constructor(
    readonly dbPath: string,
    readonly problems: readonly string[],
    hint?: string,
  ) {
    super(`${dbPath} failed its integrity checks:`, hint, { details: problems.map((p) => `  - ${p}`).join('\n') });
    this.name = 'DatabaseIntegrityError';
  }
}

/** The user's check script rejected a database (non-zero exit, timeout or cancellation); the message ends with the last lines of its stderr. */
export class CheckScriptFailedError extends B2mError {
  constructor(
    summary: string,
    readonly checkScript: string,
    readonly stdout: string,
    readonly stderr: string,
    readonly exitCode?: number,
    readonly signal?: string,
    hint?: string,
  ) {
    super('verification', summary, hint, stderr.trim() ? { details: lastLines(stderr) } : {});
    this.name = 'CheckScriptFailedError';
  }
}
