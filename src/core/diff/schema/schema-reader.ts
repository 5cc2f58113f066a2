import type { Database } from 'sql.js';
import { quotedIdentifier } from '../sql/identifiers';
import type { ColumnInfo } from '../types';

export interface TableSchema {
  name: string;
  sql: string;
  rootPage: number;
  withoutRowid: boolean;
  /** Writable columns in table order (generated and hidden columns left out, as sqldiff does). */
  columns: ColumnInfo[];
  /** Column definitions in the CREATE statement, generated ones included. */
  definedColumns: number;
  /** How rows are paired: the declared primary key, else the rowid; null if neither is usable. */
  key: { kind: 'pk' | 'rowid'; columns: string[] } | null;
  /** A name that reaches the rowid (rowid, _rowid_ or oid unless a column took it); null for WITHOUT ROWID. */
  rowidName: string | null;
  /** A rowid table whose declared primary key may hold NULLs (SQLite allows that outside INTEGER PRIMARY KEY). */
  nullableKey: boolean;
  /** Rows pair by the rowid itself: the table has no primary key, or an INTEGER PRIMARY KEY (the rowid under another name). */
  keyIsRowid: boolean;
}

export interface SchemaObject {
  type: 'index' | 'view' | 'trigger';
  name: string;
  tableName: string;
  sql: string;
}

export interface DatabaseSchema {
  tables: Map<string, TableSchema>;
  /** Indexes with SQL (not automatic ones), views and triggers. */
  objects: SchemaObject[];
}

/** Reads the schema of one attached database ('main' or 'aux'). Virtual tables are skipped, like sqldiff. */
export function readSchema(db: Database, schema: string): DatabaseSchema {
  const tables = new Map<string, TableSchema>();
  const objects: SchemaObject[] = [];
  const rows = query(db, `SELECT type, name, tbl_name, rootpage, sql FROM ${quotedIdentifier(schema)}.sqlite_schema`);
  for (const [type, name, tableName, rootPage, sql] of rows as [string, string, string, number, string | null][]) {
    if (type === 'table' && sql !== null && !/^CREATE\s+VIRTUAL\b/i.test(sql)) {
      tables.set(name, readTable(db, schema, name, sql, rootPage));
    } else if ((type === 'index' || type === 'view' || type === 'trigger') && sql !== null) {
      objects.push({ type, name, tableName, sql });
    }
  }
  return { tables, objects };
}

function readTable(db: Database, schema: string, name: string, sql: string, rootPage: number): TableSchema {
  const info = query(db, 'SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?, ?) ORDER BY cid', [name, schema]);
  const columns: ColumnInfo[] = info
    .filter((r) => r[5] === 0)
    .map(([colName, type, notNull, dflt, pk]) => ({
      name: colName as string,
      type: type as string,
      notNull: notNull === 1,
      defaultSql: dflt as string | null,
      pk: pk as number,
    }));
  const withoutRowid = query(db, 'SELECT wr FROM pragma_table_list(?) WHERE schema = ?', [name, schema])[0]?.[0] === 1;
  const pkColumns = columns.filter((c) => c.pk > 0).sort((x, y) => x.pk - y.pk);
  const taken = new Set(info.map((r) => (r[0] as string).toLowerCase()));
  const rowidName = withoutRowid ? null : (['rowid', '_rowid_', 'oid'].find((n) => !taken.has(n)) ?? null);
  const hasPkIndex = query(db, "SELECT 1 FROM pragma_index_list(?, ?) WHERE origin = 'pk'", [name, schema]).length > 0;
  return {
    name,
    sql,
    rootPage,
    withoutRowid,
    columns,
    definedColumns: info.length,
    key:
      pkColumns.length > 0
        ? { kind: 'pk', columns: pkColumns.map((c) => c.name) }
        : rowidName !== null
          ? { kind: 'rowid', columns: [rowidName] }
          : null,
    rowidName,
    nullableKey: !withoutRowid && hasPkIndex && pkColumns.some((c) => !c.notNull),
    keyIsRowid: rowidName !== null && (pkColumns.length === 0 || (pkColumns.length === 1 && !hasPkIndex)),
  };
}

function query(db: Database, sql: string, params: (string | number)[] = []): unknown[][] {
  const stmt = db.prepare(sql, params);
  try {
    const rows: unknown[][] = [];
    while (stmt.step()) rows.push(stmt.get());
    return rows;
  } finally {
    stmt.free();
  }
}
