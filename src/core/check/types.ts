import type { FetchedVersion } from '../delta/fetch-version';
import type { ErrorKind } from '../errors';
import type { LintWarning } from '../lint';
import type { ScriptIssue } from '../migrations/integrity';
import type { VerifyMode } from '../sqlite/verify';

/**
 * What `b2m check` found: per database, the scripts of this checkout that the head lacks, run on
 * a copy of the head, what they changed, and what looks wrong. Plain JSON (`b2m check --json`).
 */
export interface CheckReport {
  databases: DatabaseCheck[];
}

/**
 * passed: every script ran and the result passed verification (warnings may remain);
 * nothing-to-check: the head has every script of this checkout;
 * failed: a script, a verification or the scripts folder failed (see `failure`);
 * skipped: no version in the bucket and no local file to run the scripts on.
 */
export type CheckOutcome = 'passed' | 'nothing-to-check' | 'failed' | 'skipped';

export interface DatabaseCheck {
  database: string;
  outcome: CheckOutcome;
  /** What the scripts ran on: a copy of the head, or (no version in the bucket yet) of the local file. */
  source?: CheckSource;
  /** The scripts the source lacks, in the order they ran (id order). */
  scripts: string[];
  /** Tables whose rows or schema the scripts changed. */
  tables: TableChange[];
  /** Views and triggers changed apart from any one table. */
  otherChanges: SchemaNote[];
  /** SQLite's check that ran on the result (b2m.json `verify`): integrity_check when absent. */
  verifyMode?: VerifyMode;
  /** The check script of b2m.json, when it ran on the result and passed. */
  checkScript?: string;
  /** Destructive changes measured on the result. */
  lintWarnings: LintWarning[];
  /** What is wrong between the scripts folder and what the source recorded. */
  scriptIssues: ScriptIssue[];
  failure?: CheckFailure;
  /** Sentences for people about how the check went (e.g. why it ran on the local file). */
  notes: string[];
}

export type CheckSource =
  | {
      kind: 'head';
      /** v1 is the oldest version of the database. */
      number: number;
      versionId: string;
      author?: string;
      uploadTimestamp: number;
      /** How the copy of the head was had: from the cache, by its changed blocks, or whole; bytes downloaded. */
      fetched: { how: 'cached' | FetchedVersion['how']; bytes: number };
    }
  | { kind: 'local' };

export interface CheckFailure {
  kind: ErrorKind;
  /** What failed, in one sentence. */
  message: string;
  hint?: string;
  /** The script that failed, when one did. */
  script?: string;
  /** The last lines it (or the check script) wrote to stderr, or what SQLite's checks found. */
  output?: string;
}

/** A schema change, e.g. { what: 'columns added', names: ['email TEXT'] }. */
export interface SchemaNote {
  what: string;
  /** Names as SQLite has them (not quoted); a column's may be followed by its declared type. */
  names: string[];
}

export interface TableChange {
  table: string;
  inserted: number;
  updated: number;
  deleted: number;
  schema: SchemaNote[];
  /** The first few rows of each kind of change. */
  sample: RowSample;
}

export interface RowSample {
  /** Columns shown (a table without a primary key shows its rowid first). */
  columns: string[];
  /** Columns left out to keep the sample narrow. */
  hiddenColumns: number;
  rows: SampleRow[];
}

export interface SampleRow {
  change: 'insert' | 'update' | 'delete';
  /** Values shortened for display, in the order of `columns`; `before` only on cells an update changed. */
  cells: Array<{ value: string; before?: string }>;
}
