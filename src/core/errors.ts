/**
 * Typed errors of the engine. Every message is written for the person running b2m:
 * what happened, then (in `hint`) what to do next. Front ends (CLI, extension) map `kind`
 * to exit codes and notification styles; they never parse messages.
 */
export type ErrorKind =
  | 'bad-input' // the user's arguments, config or files are wrong
  | 'auth' // credentials missing or refused
  | 'remote' // B2 (or the network) failed after retries
  | 'integrity' // a SHA-1 or SQLite integrity check failed
  | 'blocked' // someone else holds the lock
  | 'lock-lost' // this process held the lock and lost it mid-operation (lease ran out, force-unlocked)
  | 'conflict' // remote changes overlap local ones, or local edits are uncaptured
  | 'verification' // a migration or a check script failed
  | 'cancelled'; // the user cancelled (AbortSignal)

export interface B2mErrorOptions {
  cause?: unknown;
  /** Lines that back the summary up (a program's last output, a list of problems); shown under it. */
  details?: string;
}

export class B2mError extends Error {
  /** What happened, without the details: the message's first line. */
  readonly summary: string;
  /** Lines under the summary, kept apart so that front ends and reports never split a message. */
  readonly details?: string;

  constructor(
    readonly kind: ErrorKind,
    summary: string,
    readonly hint?: string,
    options: B2mErrorOptions = {},
  ) {
    const { details, ...errorOptions } = options;
    super(details ? `${summary}\n${details}` : summary, errorOptions);
    this.name = 'B2mError';
    this.summary = summary;
    if (details) this.details = details;
  }
}

export class BadInputError extends B2mError {
  constructor(message: string, hint?: string, options?: B2mErrorOptions) {
    super('bad-input', message, hint, options);
    this.name = 'BadInputError';
  }
}

export class AuthError extends B2mError {
  constructor(message: string, hint?: string, options?: B2mErrorOptions) {
    super('auth', message, hint, options);
    this.name = 'AuthError';
  }
}

/** A B2 call that failed for good (after retries), naming the call and B2's status/code. */
export class RemoteError extends B2mError {
  constructor(
    message: string,
    readonly operation: string,
    readonly status?: number,
    readonly code?: string,
    hint?: string,
    options?: { cause?: unknown },
  ) {
    super('remote', message, hint, options);
    this.name = 'RemoteError';
  }
}

export class IntegrityError extends B2mError {
  constructor(message: string, hint?: string, options?: B2mErrorOptions) {
    super('integrity', message, hint, options);
    this.name = 'IntegrityError';
  }
}

export class CancelledError extends B2mError {
  constructor(message = 'Cancelled.', options?: { cause?: unknown }) {
    super('cancelled', message, undefined, options);
    this.name = 'CancelledError';
  }
}

/** Who holds (or attempts) a database's lock, as recorded in its lock attempt. */
export interface LockHolder {
  lockId: string;
  /** The database file name, e.g. "app.db". */
  database: string;
  owner: string;
  host: string;
  /** Per-process id: two processes of one user on one host are different holders. */
  session: string;
  pid?: number;
  /** The holder process's facts (boot, PID namespace, pid, start time) where its system tells them. */
  process?: string;
  operation: string;
  /** Server clock (ms) when the attempt was uploaded. */
  since: number;
  /** Server clock (ms) when the lease runs out unless renewed. */
  expires: number;
}

/** Someone else holds the lock of a database. */
export class LockBlockedError extends B2mError {
  constructor(
    readonly holder: LockHolder,
    options?: { cause?: unknown },
  ) {
    super(
      'blocked',
      `${holder.database} is locked by ${holder.owner}@${holder.host} (${holder.operation}) since ${clockTime(holder.since)}, ` +
        `lease expires ${clockTime(holder.expires)} UTC.`,
      'Try again later, or wait with --wait.',
      options,
    );
    this.name = 'LockBlockedError';
  }
}

/** A lock this process held is gone (lease expired, or removed by someone else): stop before publishing. */
export class LockLostError extends B2mError {
  constructor(
    readonly database: string,
    readonly lockId: string,
    readonly reason: string,
  ) {
    super('lock-lost', `Lost the lock on ${database} (lock ${lockId}): ${reason}.`, 'Nothing was published under the lost lock. Run the command again; it takes the lock anew.');
    this.name = 'LockLostError';
  }
}

function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** Throws a CancelledError if the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

export function isB2mError(e: unknown): e is B2mError {
  return e instanceof B2mError;
}

/**
 * Why work stopped rather than risk someone's changes, so front ends can offer what fits each case
 * without reading messages:
 * - `uncaptured`: the local file has edits no migration explains;
 * - `not-downloaded`: a local file exists, but was never downloaded, and the bucket has versions;
 * - `remote-missing`: the database was downloaded before, but the bucket has no version of it now;
 * - `changed-during-sync`: the local file changed while it was being synced;
 * - `gave-up`: others kept publishing, round after round;
 * - `overlap`: the remote changes and yours touch the same cells (a MergeConflictError).
 */
export type ConflictReason = 'uncaptured' | 'not-downloaded' | 'remote-missing' | 'changed-during-sync' | 'gave-up' | 'overlap';

/** Work that would overwrite or collide with someone's changes: uncaptured edits, overlapping rebase. */
export class ConflictError extends B2mError {
  constructor(
    readonly reason: ConflictReason,
    message: string,
    hint?: string,
    options?: B2mErrorOptions,
  ) {
    super('conflict', message, hint, options);
    this.name = 'ConflictError';
  }
}
