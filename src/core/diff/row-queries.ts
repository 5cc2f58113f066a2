import { quotedIdentifier } from './sql/identifiers';
import { sqlLiteral } from './sql/sql-literal';
import type { TableSchema } from './schema/schema-reader';
import type { AddedColumn } from './table-plan';
import type { RowScope } from './table-rows';
import type { SqlValue, TextEncoding } from './types';

/**
 * How rows of A and B are paired. Rows pair by primary key (sqldiff --primarykey); rows whose key
 * has a NULL (possible in rowid tables) never equal anything, so those pair by rowid instead.
 */
export interface Pairing {
  /** Names reported in RowKey.columns and used in WHERE clauses. */
  keyColumns: string[];
  keyOf(alias: string): string[];
  /** Condition for a row `inner` to be the partner of the row `outer`. */
  match(outer: string, inner: string): string;
  /** Which rows of the table this pairing handles (null: all of them). */
  filter(alias: string): string | null;
}

export function pairingsOf(table: TableSchema): Pairing[] {
  const key = table.key;
  if (key === null) throw new Error(`Table ${table.name} has no key to pair rows by`);
  const keyExprs = (alias: string) =>
    key.columns.map((c) => (key.kind === 'rowid' ? `${alias}.${c}` : `${alias}.${quotedIdentifier(c)}`));
  const byKey: Pairing = {
    keyColumns: key.columns,
    keyOf: keyExprs,
    match: (outer, inner) => keyExprs(inner).map((e, i) => `${e} = ${keyExprs(outer)[i]}`).join(' AND '),
    filter: (alias) => (table.nullableKey ? keyExprs(alias).map((e) => `${e} IS NOT NULL`).join(' AND ') : null),
  };
  if (!table.nullableKey) return [byKey];
  const rowid = table.rowidName!;
  const anyNull = (alias: string) => `(${keyExprs(alias).map((e) => `${e} IS NULL`).join(' OR ')})`;
  const byRowid: Pairing = {
    keyColumns: [rowid],
    keyOf: (alias) => [`${alias}.${rowid}`],
    match: (outer, inner) => `${inner}.${rowid} = ${outer}.${rowid} AND ${anyNull(inner)}`,
    filter: anyNull,
  };
  return [byKey, byRowid];
}

export interface RowQueries {
  /** Key of A, then A's columns: rows of A without a partner in B. */
  deletes: string;
  /** Key of A, A's columns, then B's columns: partners that differ in any cell. */
  updates: string;
  /** Key of B, then B's columns: rows of B without a partner in A. */
  inserts: string;
}

/**
 * The three queries for one pairing of a table present in both databases (A attached as main,
 * B as aux). Unless `scope` is 'all', each query takes ?1: a JSON array of the rowids to look at
 * (of A for deletes and updates, of B for inserts); 'exact' lists need no partner looked up.
 */
export function rowQueries(
  a: TableSchema,
  b: TableSchema,
  addedColumns: AddedColumn[],
  pairing: Pairing,
  scope: RowScope['kind'],
  encoding: TextEncoding,
): RowQueries {
  const table = quotedIdentifier(a.name);
  const columnsOf = (alias: string, t: TableSchema) => t.columns.map((c) => `${alias}.${quotedIdentifier(c.name)}`);
  const where = (alias: string, rest: string | null) => {
    const parts = [scope !== 'all' ? `${alias}.${a.rowidName!} IN (SELECT value FROM json_each(?1))` : null, pairing.filter(alias), rest];
    return parts.filter((p) => p !== null).join(' AND ') || 'true';
  };
  const unpaired = (outer: string, inner: string, innerSchema: string) =>
    scope === 'exact' ? null : `NOT EXISTS (SELECT 1 FROM ${innerSchema}.${table} AS ${inner} WHERE ${pairing.match(outer, inner)})`;
  const differs = [
    ...columnsOf('A', a).map((colA, i) => cellDiffers(colA, columnsOf('B', b)[i]!)),
    ...addedColumns.map((added) => differsFromValue(`B.${quotedIdentifier(added.info.name)}`, added.initial, encoding)),
  ].join(' OR ');
  return {
    deletes:
      `SELECT ${[...pairing.keyOf('A'), ...columnsOf('A', a)].join(', ')} FROM main.${table} AS A` +
      ` WHERE ${where('A', unpaired('A', 'B', 'aux'))}`,
    updates:
      `SELECT ${[...pairing.keyOf('A'), ...columnsOf('A', a), ...columnsOf('B', b)].join(', ')}` +
      ` FROM main.${table} AS A JOIN aux.${table} AS B ON ${pairing.match('A', 'B')}` +
      ` WHERE ${where('A', `(${differs})`)}`,
    inserts:
      `SELECT ${[...pairing.keyOf('B'), ...columnsOf('B', b)].join(', ')} FROM aux.${table} AS B` +
      ` WHERE ${where('B', unpaired('B', 'A', 'main'))}`,
  };
}

/**
 * Exact difference: sqldiff's `IS NOT` alone calls 1 and 1.0 equal, and 'a' and 'A' under a
 * NOCASE column; applying its output would then leave the wrong type or text behind.
 */
function cellDiffers(x: string, y: string): string {
  return `(${x} IS NOT ${y} COLLATE BINARY OR typeof(${x}) <> typeof(${y}))`;
}

function differsFromValue(x: string, value: SqlValue, encoding: TextEncoding): string {
  if (value === null) return `${x} IS NOT NULL`;
  return `(${x} IS NOT ${sqlLiteral(value, encoding)} COLLATE BINARY OR typeof(${x}) <> '${value.type}')`;
}

/** All rows of a table of B: the rowid first if that is its key, then its columns. */
export function dumpQuery(b: TableSchema): string {
  const rowid = b.key?.kind === 'rowid' ? [b.key.columns[0]!] : [];
  return `SELECT ${[...rowid, ...b.columns.map((c) => quotedIdentifier(c.name))].join(', ')} FROM aux.${quotedIdentifier(b.name)}`;
}
