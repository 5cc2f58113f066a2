/**
 * The destructive changes b2m warns about, shared by the lint measured on a migration's result
 * (lint-changes.ts) and the cheap scan of a script's text for the editor (scan-script.ts).
 */

export type LintKind = 'table-dropped' | 'column-dropped' | 'table-rebuilt' | 'all-rows-deleted' | 'all-rows-updated' | 'many-rows-deleted';

export interface LintWarning {
  kind: LintKind;
  table: string;
  column?: string;
  /** What happens, for people (measured on the result, or read in the statement). */
  message: string;
  /** What to check or do about it. */
  hint: string;
}

/** The statement that makes a change of some kind, for the scan of a script's text. */
export interface StatementRule {
  /**
   * Matches the statement's start (case-insensitive, at its first keyword); group 1 is the
   * table's name, group 2 (if any) the column's. Names match NAME below.
   */
  pattern: RegExp;
  /** Only a statement without a WHERE clause of its own makes this change. */
  withoutWhere: boolean;
  describe(table: string, column?: string): string;
}

export interface LintRule {
  kind: LintKind;
  hint: string;
  statement?: StatementRule;
}

/** An identifier as SQL writes it: bare, "quoted", [bracketed] or `backticked`. */
const IDENTIFIER = '(?:"(?:[^"]|"")+"|\\[[^\\]]+\\]|`[^`]+`|[A-Za-z_][\\w$]*)';
/** A column's name, captured. */
const COLUMN_NAME = `(${IDENTIFIER})`;
/** A table's name, maybe schema-qualified; the name itself captured. */
const NAME = String.raw`(?:${IDENTIFIER}\s*\.\s*)?${COLUMN_NAME}`;

const RESTORE_HINT = 'If that is intended, nothing is lost for good: earlier versions stay in the bucket ("b2m history", "b2m restore").';

export const LINT_RULES: readonly LintRule[] = [
  {
    kind: 'table-dropped',
    hint: `Check that nothing still needs it. ${RESTORE_HINT}`,
    statement: {
      pattern: new RegExp(String.raw`^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?${NAME}`, 'i'),
      withoutWhere: false,
      describe: (table) => `DROP TABLE drops table ${table} with every row in it.`,
    },
  },
  {
    kind: 'column-dropped',
    hint: `Check that nothing still reads it. ${RESTORE_HINT}`,
    statement: {
      pattern: new RegExp(String.raw`^ALTER\s+TABLE\s+${NAME}\s+DROP\s+(?:COLUMN\s+)?${COLUMN_NAME}`, 'i'),
      withoutWhere: false,
      describe: (table, column) => `ALTER TABLE … DROP COLUMN drops column ${column} of table ${table}, and its value in every row.`,
    },
  },
  {
    kind: 'table-rebuilt',
    hint: 'Check that every row and column came across (the diff of "b2m migrations test" shows them).',
  },
  {
    kind: 'all-rows-deleted',
    hint: 'If only some rows should go, add a WHERE clause.',
    statement: {
      pattern: new RegExp(String.raw`^DELETE\s+FROM\s+${NAME}`, 'i'),
      withoutWhere: true,
      describe: (table) => `DELETE without WHERE deletes every row of table ${table}.`,
    },
  },
  {
    kind: 'all-rows-updated',
    hint: 'If only some rows should change, add a WHERE clause.',
    statement: {
      pattern: new RegExp(String.raw`^UPDATE\s+(?:OR\s+(?:ROLLBACK|ABORT|REPLACE|FAIL|IGNORE)\s+)?${NAME}\s+SET\b`, 'i'),
      withoutWhere: true,
      describe: (table) => `UPDATE without WHERE changes every row of table ${table}.`,
    },
  },
  {
    kind: 'many-rows-deleted',
    hint: 'Check the WHERE clause: it matches most of the table.',
  },
];

export function ruleOf(kind: LintKind): LintRule {
  return LINT_RULES.find((r) => r.kind === kind)!;
}

/** A name as written in SQL, without its quotes. */
export function unquotedName(name: string): string {
  const first = name[0];
  if (first === '"') return name.slice(1, -1).replaceAll('""', '"');
  if (first === '[' || first === '`') return name.slice(1, -1);
  return name;
}
