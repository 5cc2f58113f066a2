import { LINT_RULES, unquotedName, type LintWarning } from './rules';

/** A place in a text: 0-based line and column (in UTF-16 code units, as editors count). */
export interface TextPosition {
  line: number;
  column: number;
}

export interface ScriptFinding extends LintWarning {
  /** The statement, from its first keyword to its end. */
  range: { start: TextPosition; end: TextPosition };
}

/**
 * A cheap scan of a migration script's text for risky statements (DROP TABLE, ALTER TABLE … DROP
 * COLUMN, DELETE or UPDATE without WHERE), for the editor's diagnostics: nothing is run. SQL is
 * looked for in the script's Python string literals (comments skipped), statement by statement;
 * SQL built up from pieces at run time is not seen.
 */
export function scanScript(text: string): ScriptFinding[] {
  const lines = lineStarts(text);
  return pythonStrings(text).flatMap(({ start, end }) =>
    sqlStatements(text, start, end).flatMap((statement) => findingsIn(statement, lines)),
  );
}

interface Span {
  start: number;
  end: number;
}

function findingsIn(statement: Statement, lines: number[]): ScriptFinding[] {
  const findings: ScriptFinding[] = [];
  for (const rule of LINT_RULES) {
    // Names are never blanked out in `masked` (only string literals and comments are).
    const match = rule.statement?.pattern.exec(statement.masked);
    if (!rule.statement || !match || (rule.statement.withoutWhere && statement.hasWhere)) continue;
    const table = unquotedName(match[1]!);
    const column = match[2] === undefined ? undefined : unquotedName(match[2]);
    findings.push({
      kind: rule.kind,
      table,
      ...(column !== undefined ? { column } : {}),
      message: rule.statement.describe(table, column),
      hint: rule.hint,
      range: { start: position(lines, statement.start), end: position(lines, statement.end) },
    });
  }
  return findings;
}

/** The contents of the Python string literals of a script (between their quotes), comments skipped. */
function pythonStrings(text: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '#') {
      i = lineEnd(text, i);
    } else if (c === '"' || c === "'") {
      const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      const start = i + quote.length;
      let j = start;
      while (j < text.length && !text.startsWith(quote, j) && (quote.length === 3 || text[j] !== '\n')) j += text[j] === '\\' ? 2 : 1;
      spans.push({ start, end: Math.min(j, text.length) });
      i = j + quote.length;
    } else {
      i++;
    }
  }
  return spans;
}

interface Statement extends Span {
  /** The statement with SQL string literals and comments blanked out (same length). */
  masked: string;
  /** Whether WHERE appears outside parentheses (a subquery's WHERE is not the statement's). */
  hasWhere: boolean;
}

/** The SQL statements in a part of the text, split at semicolons; trigger bodies are left out. */
function sqlStatements(text: string, from: number, to: number): Statement[] {
  const statements: Statement[] = [];
  let masked = '';
  let depth = 0;
  let hasWhere = false;
  let start = from;
  let inTrigger = false;
  const finish = (end: number) => {
    const leading = masked.length - masked.trimStart().length;
    const body = masked.trim();
    const statementStart = start + leading;
    if (/^CREATE\s+(?:TEMP\w*\s+)?TRIGGER\b/i.test(body)) inTrigger = true;
    if (!inTrigger && body !== '') statements.push({ start: statementStart, end: statementStart + body.length, masked: body, hasWhere });
    if (inTrigger && /\bEND$/i.test(body)) inTrigger = false;
    masked = '';
    depth = 0;
    hasWhere = false;
    start = end + 1;
  };
  for (let i = from; i < to; i++) {
    const c = text[i]!;
    if (c === "'" || (c === '-' && text[i + 1] === '-') || (c === '/' && text[i + 1] === '*')) {
      const end = c === "'" ? closingQuote(text, i, to) : c === '-' ? Math.min(lineEnd(text, i), to) : Math.min(indexOrEnd(text, '*/', i + 2) + 2, to);
      masked += c === "'" ? text.slice(i, end).replace(/[^']/g, ' ') : ' '.repeat(end - i);
      i = end - 1;
      continue;
    }
    if (c === ';') {
      finish(i);
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth === 0 && /[Ww]/.test(c) && /^WHERE\b/i.test(text.slice(i, i + 6)) && !/[\w$]/.test(text[i - 1] ?? '')) hasWhere = true;
    masked += c;
  }
  finish(to);
  return statements;
}

/** Index just past the quote that closes the SQL literal opened at `open` (a doubled quote stays inside). */
function closingQuote(text: string, open: number, to: number): number {
  let i = open + 1;
  while (i < to) {
    if (text[i] === "'") {
      if (text[i + 1] !== "'") return i + 1;
      i += 2;
    } else {
      i++;
    }
  }
  return to;
}

function lineEnd(text: string, from: number): number {
  return indexOrEnd(text, '\n', from);
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function position(lines: number[], offset: number): TextPosition {
  let low = 0;
  let high = lines.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lines[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low, column: offset - lines[low]! };
}
