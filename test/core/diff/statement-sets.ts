/**
 * Row statements (INSERT/UPDATE/DELETE) of a diff script, grouped by table, with REAL literals
 * taken out so that b2m's round-tripping literals and sqldiff's 15-digit ones can be compared,
 * and text literals written as their bytes, so that sqldiff's `'a'||X'0a'…` and the
 * `CAST(X'…' AS TEXT)` b2m writes for text with many control characters compare equal.
 */

export interface RowStatement {
  table: string;
  /** The statement with every REAL literal replaced by `?`. */
  template: string;
  reals: number[];
}

export function rowStatements(script: string): RowStatement[] {
  return script
    .split(';\n')
    .filter((s) => /^(INSERT INTO|UPDATE|DELETE FROM) /.test(s))
    .map((statement) => {
      const table = /^(?:INSERT INTO|UPDATE|DELETE FROM) ("(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*)/.exec(statement)![1]!;
      const { template, reals } = extractReals(statement);
      return { table: table.startsWith('"') ? table.slice(1, -1).replaceAll('""', '"') : table, template, reals };
    });
}

const REAL = /^(-?)(?:\((-?\d+\.0)((?:[*/]\d+)+)\)|(\d+\.\d*(?:e[-+]?\d+)?|\d+e[-+]?\d+)|(Inf)\b)/;

function extractReals(statement: string): { template: string; reals: number[] } {
  let template = '';
  const reals: number[] = [];
  let i = 0;
  while (i < statement.length) {
    const c = statement[i]!;
    const text = TEXT.exec(statement.slice(i));
    if (text) {
      template += `text:${textBytes(text[0])}`;
      i += text[0].length;
      continue;
    }
    const previous = template[template.length - 1];
    const match = previous === undefined || /[(,= ]/.test(previous) ? REAL.exec(statement.slice(i)) : null;
    if (match) {
      const sign = match[1] === '-' ? -1 : 1;
      let value: number;
      if (match[2] !== undefined) {
        value = Number(match[2]);
        for (const [, op, operand] of match[3]!.matchAll(/([*/])(\d+)/g)) value = op === '*' ? value * Number(operand) : value / Number(operand);
      } else if (match[4] !== undefined) {
        value = Number(match[4]);
      } else {
        value = Infinity;
      }
      reals.push(sign * value);
      template += '?';
      i += match[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(statement.slice(i))![0];
      template += word;
      i += word.length;
      continue;
    }
    template += c;
    i++;
  }
  return { template, reals };
}

/** A quoted text, with runs of control characters joined by || (sqldiff's form), or bytes cast to TEXT. */
const TEXT = /^(?:'(?:[^']|'')*'(?:\n?\|\|(?:X'[0-9a-f]*'|'(?:[^']|'')*'))*|CAST\(X'[0-9a-f]*' AS TEXT\))/;

/** The UTF-8 bytes (hex) of a text literal matched by TEXT. */
function textBytes(literal: string): string {
  const parts = literal.startsWith('CAST(') ? [literal.slice(5, -9)] : literal.split(/\n?\|\|/);
  return parts.map((p) => (p.startsWith("X'") ? p.slice(2, -1) : Buffer.from(p.slice(1, -1).replaceAll("''", "'")).toString('hex'))).join('');
}

/** Same statements up to REAL precision (sqldiff prints 15 significant digits). */
export function sameStatementSets(x: RowStatement[], y: RowStatement[]): boolean {
  if (x.length !== y.length) return false;
  const key = (s: RowStatement) => `${s.template}\u0000${s.reals.map((r) => r.toPrecision(12)).join(',')}`;
  const sortedX = [...x].sort((p, q) => key(p).localeCompare(key(q)));
  const sortedY = [...y].sort((p, q) => key(p).localeCompare(key(q)));
  return sortedX.every((s, i) => {
    const t = sortedY[i]!;
    return s.template === t.template && s.reals.length === t.reals.length && s.reals.every((r, j) => closeReals(r, t.reals[j]!));
  });
}

function closeReals(x: number, y: number): boolean {
  if (x === y) return true;
  return Math.abs(x - y) <= 1e-14 * Math.max(Math.abs(x), Math.abs(y)) || Math.abs(x - y) < 1e-320;
}
