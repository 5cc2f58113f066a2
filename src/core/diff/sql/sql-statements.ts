import { sqlIdentifier } from './identifiers';
import { sqlLiteral } from './sql-literal';
import type { TableSchema } from '../schema/schema-reader';
import type { ColumnInfo, RowChange, RowKey, SqlValue, TextEncoding } from '../types';

/**
 * Statement text in sqldiff's shapes; every statement ends with ";\n". Values are written for a
 * database of the given text encoding (the one the statements will run on).
 */

export function deleteStatement(table: string, key: RowKey, encoding: TextEncoding): string {
  return `DELETE FROM ${sqlIdentifier(table)}${whereClause(key, encoding)};\n`;
}

export function updateStatement(table: string, columns: ColumnInfo[], change: Extract<RowChange, { kind: 'update' }>, encoding: TextEncoding): string {
  const assignments = change.changed.map((i) => `${sqlIdentifier(columns[i]!.name)}=${sqlLiteral(change.newValues[i]!, encoding)}`);
  return `UPDATE ${sqlIdentifier(table)} SET ${assignments.join(', ')}${whereClause(change.key, encoding)};\n`;
}

/**
 * INSERT naming the key columns first (the rowid for tables without a primary key), then the
 * other columns in table order, as sqldiff --primarykey does; a table with no usable key gets
 * a plain `INSERT INTO t VALUES(...)`.
 */
export function insertStatement(table: TableSchema, key: RowKey, values: SqlValue[], encoding: TextEncoding): string {
  const name = sqlIdentifier(table.name);
  const literal = (value: SqlValue) => sqlLiteral(value, encoding);
  if (table.key === null) return `INSERT INTO ${name} VALUES(${values.map(literal).join(',')});\n`;
  const order = insertOrder(table);
  const names = order.map((i) => sqlIdentifier(table.columns[i]!.name));
  const cells = order.map((i) => literal(values[i]!));
  if (table.key.kind === 'rowid') {
    names.unshift(sqlIdentifier(table.key.columns[0]!));
    cells.unshift(literal(key.values[0]!));
  }
  return `INSERT INTO ${name}(${names.join(',')}) VALUES(${cells.join(',')});\n`;
}

/** Column indexes in INSERT order: primary key columns by key position, then the rest in table order. */
function insertOrder(table: TableSchema): number[] {
  const indexes = table.columns.map((_, i) => i);
  const keyed = indexes.filter((i) => table.columns[i]!.pk > 0).sort((x, y) => table.columns[x]!.pk - table.columns[y]!.pk);
  return [...keyed, ...indexes.filter((i) => table.columns[i]!.pk === 0)];
}

function whereClause(key: RowKey, encoding: TextEncoding): string {
  return ` WHERE ${key.columns.map((c, i) => `${sqlIdentifier(c)}=${sqlLiteral(key.values[i]!, encoding)}`).join(' AND ')}`;
}

export function alterAddColumnStatement(table: string, definition: string): string {
  return `ALTER TABLE ${sqlIdentifier(table)} ADD COLUMN ${definition};\n`;
}

export function dropStatement(type: 'table' | 'index' | 'view' | 'trigger', name: string, comment = ''): string {
  return `DROP ${type.toUpperCase()} ${sqlIdentifier(name)};${comment === '' ? '' : ` -- ${comment}`}\n`;
}

/** A CREATE statement as stored in sqlite_schema. */
export function createStatement(sql: string): string {
  return `${sql};\n`;
}
