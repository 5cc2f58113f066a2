import type { SqlValue } from '../diff/types';
import type { RowValues } from './types';

/** Orders rows by key the way SQLite sorts values: NULL, then numbers, then text, then blobs. */
export function compareKeys(x: RowValues, y: RowValues): number {
  for (const column of Object.keys(x)) {
    const order = compareValues(x[column] ?? null, y[column] ?? null);
    if (order !== 0) return order;
  }
  return 0;
}

function compareValues(x: SqlValue, y: SqlValue): number {
  const rank = classRank(x) - classRank(y);
  if (rank !== 0 || x === null || y === null) return rank;
  if (x.type === 'blob' || y.type === 'blob') return x.type === 'blob' && y.type === 'blob' ? compare(x.hex, y.hex) : 0;
  if (x.type === 'text' || y.type === 'text') return x.type === 'text' && y.type === 'text' ? compare(x.value, y.value) : 0;
  if (x.type === 'integer' && y.type === 'integer') return compare(BigInt(x.value), BigInt(y.value));
  return compare(Number(x.value), Number(y.value));
}

function classRank(value: SqlValue): number {
  if (value === null) return 0;
  return value.type === 'text' ? 2 : value.type === 'blob' ? 3 : 1;
}

function compare<T extends string | number | bigint>(x: T, y: T): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
