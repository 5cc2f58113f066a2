import { binaryOf, legacyReadsAs } from './legacy-real-parsing';
import { encodeText } from './sql-value';
import type { SqlValue, TextEncoding } from '../types';

/**
 * A value as an SQL literal that SQLite (the sqlite3 shell, Python's sqlite3) reads back as the
 * same value in a database of the given text encoding. Written like sqldiff's printQuoted except
 * for REAL, which sqldiff prints with 15 significant digits (here every double comes back
 * exactly), and for text that sqldiff's form cannot carry (see textLiteral).
 */
export function sqlLiteral(value: SqlValue, encoding: TextEncoding = 'UTF-8'): string {
  if (value === null) return 'NULL';
  switch (value.type) {
    case 'integer':
      return value.value;
    case 'real':
      return realLiteral(value.value);
    case 'text':
      return value.hex === undefined ? textLiteral(value.value, encoding) : castToText(value.hex);
    case 'blob':
      // sqldiff gets a NULL pointer for an empty blob and prints X'' for it.
      return value.hex === '' ? "X''" : `x'${value.hex}'`;
  }
}

/**
 * The shortest decimal that reads back as the same double, always REAL (`1.0`, not `1`); if an
 * SQLite older than 3.43 might misread that decimal, an exact quotient or product of an integer
 * and powers of two instead.
 */
export function realLiteral(value: number | 'Infinity' | '-Infinity'): string {
  if (value === 'Infinity' || value === Infinity) return '9e999';
  if (value === '-Infinity' || value === -Infinity) return '-9e999';
  if (Object.is(value, -0)) return '-0.0';
  if (value === 0) return '0.0';
  const text = String(value);
  const literal = /[.e]/.test(text) ? text : `${text}.0`;
  return legacyReadsAs(literal.replace(/^-/, ''), Math.abs(value)) ? literal : exactExpression(value);
}

// 2^62: the largest power of two written as an INTEGER literal, which every SQLite reads exactly.
const TWO_TO_62 = '4611686018427387904';

/** (m.0 / 2^62 / ... / 2^r): every step is exact in double arithmetic. */
function exactExpression(value: number): string {
  let { mantissa, exponent } = binaryOf(Math.abs(value));
  while ((mantissa & 1n) === 0n) {
    mantissa >>= 1n;
    exponent++;
  }
  const operator = exponent < 0 ? '/' : '*';
  const steps: string[] = [];
  for (let rest = Math.abs(exponent); rest > 0; rest -= 62) steps.push(rest >= 62 ? TWO_TO_62 : (1n << BigInt(rest)).toString());
  return `(${value < 0 ? '-' : ''}${mantissa}.0${steps.map((s) => operator + s).join('')})`;
}

/**
 * Past this many runs of control characters, sqldiff's `'a'||X'0a'||'b'…` form is not used: each
 * `||` deepens the expression (SQLite refuses more than 1,000 levels: "Expression tree is too
 * large") and copies the text built so far.
 */
const MAX_CONTROL_RUNS = 100;

/**
 * Text in single quotes. Control characters are written as sqldiff does, runs of them as X'..'
 * joined with ||, while that stays a shallow expression in a UTF-8 database; otherwise (many
 * runs, or a UTF-16 database, where X'0a' would be one byte of a two-byte character) the
 * text's bytes in the database's encoding, cast to TEXT.
 */
export function textLiteral(text: string, encoding: TextEncoding = 'UTF-8'): string {
  if (!CONTROL_CHARACTER.test(text)) return `'${text.replaceAll("'", "''")}'`;
  const runs = controlRuns(text);
  if (encoding !== 'UTF-8' || runs > MAX_CONTROL_RUNS) return castToText(encodeText(text, encoding).toString('hex'));
  return concatenatedText(text);
}

/** Bytes (as hex, in the database's encoding) read as TEXT, exactly as they are. */
function castToText(hex: string): string {
  return `CAST(X'${hex}' AS TEXT)`;
}

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

function controlRuns(text: string): number {
  let runs = 0;
  let inControl = false;
  for (let i = 0; i < text.length; i++) {
    const control = isControl(text.charCodeAt(i));
    if (control && !inControl) runs++;
    inControl = control;
  }
  return runs;
}

/** sqldiff's form: runs of control characters as X'..' joined with ||. */
function concatenatedText(text: string): string {
  let out = "'";
  let inControl = false;
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isControl(code)) {
      const hex = code.toString(16).padStart(2, '0');
      out += inControl ? hex : `${text.slice(copied, i)}'||X'${hex}`;
      inControl = true;
      copied = i + 1;
    } else {
      if (inControl) {
        inControl = false;
        out += "'\n||'";
      }
      if (code === 0x27) {
        out += `${text.slice(copied, i + 1)}'`;
        copied = i + 1;
      }
    }
  }
  return `${out}${text.slice(copied)}'`;
}
