import type { Statement } from 'sql.js';
import type { SqlValue } from './types';

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
    case 'text':
      return b.type === a.type && b.value === a.value;
    case 'blob':
      return b.type === 'blob' && b.hex === a.hex;
  }
}

/** A canonical string for a tuple of values: equal tuples give equal strings, different ones differ. */
export function canonicalKey(values: SqlValue[]): string {
  return JSON.stringify(values.map((v) => (v === null ? null : v.type === 'blob' ? ['blob', v.hex] : [v.type, v.value])));
}

/** The current row of a stepped statement, INTEGER read exactly (sql.js's useBigInt option). */
export function readRow(stmt: Statement): SqlValue[] {
  const get = stmt.get.bind(stmt) as (params: null, config: { useBigInt: boolean }) => unknown[];
  return get(null, { useBigInt: true }).map(toSqlValue);
}
