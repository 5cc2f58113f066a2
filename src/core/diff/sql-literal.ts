import { binaryOf, legacyReadsAs } from './legacy-real-parsing';
import type { SqlValue } from './types';

/**
 * A value as an SQL literal, written like sqldiff's printQuoted except for REAL, which sqldiff
 * prints with 15 significant digits: here every double comes back exactly when the sqlite3
 * shell reads it.
 */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  switch (value.type) {
    case 'integer':
      return value.value;
    case 'real':
      return realLiteral(value.value);
    case 'text':
      return textLiteral(value.value);
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

/** Text in single quotes; runs of control characters as X'..' joined with || (sqldiff's form). */
export function textLiteral(text: string): string {
  let out = "'";
  let inControl = false;
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) {
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
