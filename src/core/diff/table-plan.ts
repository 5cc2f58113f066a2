import type { Database } from 'sql.js';
import { tableDefinitionItems } from './schema/create-table-sql';
import { quotedIdentifier } from './sql/identifiers';
import type { TableSchema } from './schema/schema-reader';
import { readRow } from './sql/sql-value';
import type { ColumnInfo, SqlValue } from './types';

export interface AddedColumn {
  info: ColumnInfo;
  /** The value rows of A hold once the column is added: its default, with the column's affinity. */
  initial: SqlValue;
}

/** What to do with one table name found in A, B or both. */
export type TablePlan =
  | { kind: 'added'; name: string; b: TableSchema }
  | { kind: 'dropped'; name: string; a: TableSchema }
  /** Any change ALTER TABLE ADD COLUMN cannot make, or rows that cannot be addressed: drop and create. */
  | { kind: 'recreated'; name: string; a: TableSchema; b: TableSchema }
  /** Rows are paired and compared; `alterDefinitions` are appended first (possibly none). */
  | { kind: 'compared'; name: string; a: TableSchema; b: TableSchema; alterDefinitions: string[]; addedColumns: AddedColumn[] };

/**
 * Plans one table. `scratch` is an empty in-memory database used to check that B's definition is
 * exactly A's plus ALTER TABLE ADD COLUMN, so the SQL printed keeps declared types, defaults and
 * constraints, and never leaves a table whose columns' affinities differ from B's.
 */
export function planTable(a: TableSchema | undefined, b: TableSchema | undefined, scratch: Database): TablePlan {
  if (a === undefined && b === undefined) throw new Error('planTable needs a table on at least one side');
  if (a === undefined) return { kind: 'added', name: b!.name, b: b! };
  if (b === undefined) return { kind: 'dropped', name: a.name, a };
  const recreated: TablePlan = { kind: 'recreated', name: a.name, a, b };
  const sameKey = a.key !== null && b.key !== null && a.key.kind === b.key.kind && a.key.columns.join('\0') === b.key.columns.join('\0');
  if (!sameKey || a.rowidName !== b.rowidName) return recreated;
  if (a.sql === b.sql) return { kind: 'compared', name: a.name, a, b, alterDefinitions: [], addedColumns: [] };
  const alterDefinitions = appendedDefinitions(a, b);
  if (alterDefinitions === null || !reproducesByAlter(scratch, a, b, alterDefinitions)) return recreated;
  const addedColumns = b.columns.slice(a.columns.length).map((info) => ({ info, initial: initialValue(scratch, info) }));
  return { kind: 'compared', name: a.name, a, b, alterDefinitions, addedColumns };
}

/** B's column definitions beyond A's, if B's statement has the shape A's would take after ADD COLUMN. */
function appendedDefinitions(a: TableSchema, b: TableSchema): string[] | null {
  const itemsA = tableDefinitionItems(a.sql);
  const itemsB = tableDefinitionItems(b.sql);
  if (itemsA === null || itemsB === null || itemsB.length <= itemsA.length) return null;
  const added = itemsB.length - itemsA.length;
  if (b.definedColumns - a.definedColumns !== added) return null;
  return itemsB.slice(a.definedColumns, a.definedColumns + added);
}

function reproducesByAlter(scratch: Database, a: TableSchema, b: TableSchema, definitions: string[]): boolean {
  const table = quotedIdentifier(a.name);
  try {
    scratch.run(a.sql);
    for (const definition of definitions) scratch.run(`ALTER TABLE ${table} ADD COLUMN ${definition}`);
    const stmt = scratch.prepare('SELECT sql FROM sqlite_schema WHERE type = ? AND name = ?', ['table', a.name]);
    const sql = stmt.step() ? stmt.get()[0] : null;
    stmt.free();
    return sql === b.sql;
  } catch {
    return false;
  } finally {
    scratch.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

function initialValue(scratch: Database, column: ColumnInfo): SqlValue {
  if (column.defaultSql === null) return null;
  scratch.run(`CREATE TABLE b2m_default_probe(v ${column.type})`);
  try {
    scratch.run(`INSERT INTO b2m_default_probe VALUES(${column.defaultSql})`);
    const stmt = scratch.prepare('SELECT v FROM b2m_default_probe');
    stmt.step();
    const [value] = readRow(stmt);
    stmt.free();
    return value ?? null;
  } finally {
    scratch.run('DROP TABLE b2m_default_probe');
  }
}
