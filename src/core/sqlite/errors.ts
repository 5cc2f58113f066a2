import { B2mError, IntegrityError } from '../errors';

/** `PRAGMA integrity_check` or `PRAGMA foreign_key_check` found problems in a database. */
export class DatabaseIntegrityError extends IntegrityError {
  constructor(
    readonly dbPath: string,
    readonly problems: readonly string[],
    hint?: string,
  ) {
    super(`${dbPath} failed its integrity checks:\n${problems.map((p) => `  - ${p}`).join('\n')}`, hint);
    this.name = 'DatabaseIntegrityError';
  }
}

/** The user's check script rejected a database (non-zero exit, timeout or cancellation). */
export class CheckScriptFailedError extends B2mError {
  constructor(
    message: string,
    readonly checkScript: string,
    readonly stdout: string,
    readonly stderr: string,
    readonly exitCode?: number,
    readonly signal?: string,
    hint?: string,
  ) {
    super('verification', message, hint);
    this.name = 'CheckScriptFailedError';
  }
}
