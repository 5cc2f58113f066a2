import { B2mError, BadInputError } from '../errors';
import { lastLines } from '../sqlite/python-process';
import type { Migration } from './discover';

/** Migration files that cannot be used as they are: malformed names, ids used twice. */
export class MigrationFilesError extends BadInputError {
  constructor(
    db: string,
    readonly problems: readonly string[],
  ) {
    super(
      `The migrations of "${db}" have ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:`,
      'Rename the files listed (to make two equal ids differ, add 1 to one of them), then try again.',
      { details: problems.map((p) => `  - ${p}`).join('\n') },
    );
    this.name = 'MigrationFilesError';
  }
}

export type MigrationFailure =
  | 'exit' // the script raised, exited non-zero or was killed by a signal
  | 'timeout' // it ran longer than allowed and was killed
  | 'unfinished-write' // it left a -wal/-journal beside the database
  | 'not-recorded'; // it ended the process before b2m could record it

/** A migration script failed; the database it was meant for was left untouched. The message ends with the last lines the script wrote to stderr. */
export class MigrationFailedError extends B2mError {
  constructor(
    summary: string,
    readonly migration: Migration,
    readonly reason: MigrationFailure,
    readonly stdout: string,
    readonly stderr: string,
    readonly exitCode?: number,
    readonly signal?: string,
    hint?: string,
  ) {
    super('verification', summary, hint, stderr.trim() ? { details: lastLines(stderr) } : {});
    this.name = 'MigrationFailedError';
  }
}
