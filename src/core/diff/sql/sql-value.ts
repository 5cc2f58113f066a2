import type { Statement } from 'sql.js';
import type { SqlValue, TextEncoding } from '../types';

/** Converts a cell read by sql.js with `{ useBigInt: true }` (so INTEGER arrives as bigint). */
export function toSqlValue(cell: unknown): SqlValue {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'bigint') return { type: 'integer', value: cell.toString() };
  if (typeof cell === 'number') {
    if (cell === Infinity) return { type: 'real', value: 'Infinity' };
    if (cell === -Infinity) return { type: 'real', value: '-Infinity' };
    return { type: 'real', value: cell };
  }
  if (typeof cell === 'string') return { type: 'text', value: cell };
  if (cell instanceof Uint8Array) return { type: 'blob', hex: Buffer.from(cell.buffer, cell.byteOffset, cell.byteLength).toString('hex') };
  throw new TypeError(`Unexpected value from sql.js: ${typeof cell}`);
}

/** Same storage class and same value (text compared byte for byte, 1 differs from 1.0). */
export function sameSqlValue(a: SqlValue, b: SqlValue): boolean {
  if (a === null || b === null) return a === b;
  switch (a.type) {
    case 'integer':
    case 'real':
      return b.type === a.type && b.value === a.value;
    case 'text':
      return b.type === 'text' && b.value === a.value && b.hex === a.hex;
    case 'blob':
      return b.type === 'blob' && b.hex === a.hex;
  }
}

/** A canonical string for a tuple of values: equal tuples give equal strings, different ones differ. */
export function canonicalKey(values: SqlValue[]): string {
  return JSON.stringify(values.map((v) => (v === null ? null : v.type === 'blob' ? ['blob', v.hex] : v.type === 'text' && v.hex !== undefined ? ['text', v.value, v.hex] : [v.type, v.value])));
}

/**
 * The current row of a stepped statement, INTEGER read exactly (sql.js's useBigInt option).
 * sql.js decodes TEXT as UTF-8, putting U+FFFD for bytes that are not; only such text is read
 * again as its stored bytes, to keep them when they differ from what the decoded text encodes to.
 */
export function readRow(stmt: Statement, encoding: TextEncoding = 'UTF-8'): SqlValue[] {
  const get = stmt.get.bind(stmt) as (params: null, config: { useBigInt: boolean }) => unknown[];
  return get(null, { useBigInt: true }).map((cell, column) =>
    typeof cell === 'string' && cell.includes('\uFFFD') ? exactText(stmt, column, cell, encoding) : toSqlValue(cell),
  );
}

function exactText(stmt: Statement, column: number, text: string, encoding: TextEncoding): SqlValue {
  // sql.js's getBlob (public in its API, missing from its typings) gives a cell's stored bytes.
  const getBlob = (stmt as unknown as { getBlob(column: number): Uint8Array }).getBlob.bind(stmt);
  const stored = Buffer.from(getBlob(column));
  return stored.equals(encodeText(text, encoding)) ? { type: 'text', value: text } : { type: 'text', value: text, hex: stored.toString('hex') };
}

/** Text as SQLite stores it in a database of the given encoding. */
export function encodeText(text: string, encoding: TextEncoding): Buffer {
  if (encoding === 'UTF-8') return Buffer.from(text, 'utf8');
  const bytes = Buffer.from(text, 'utf16le');
  return encoding === 'UTF-16le' ? bytes : bytes.swap16();
}
