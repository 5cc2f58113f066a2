import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSqlJs } from '../../../src/core/diff/sqljs-loader';

/** A temporary folder removed by `cleanup()`. */
export function tempFolder(): { path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-diff-test-'));
  return { path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs SQL with the real sqlite3 shell (no fsync: test files), throwing if it reports any error. */
export function sqlite3(dbPath: string, sql: string): string {
  return execFileSync('sqlite3', ['-bail', '-cmd', 'PRAGMA synchronous = OFF', dbPath], {
    input: sql,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** sqldiff's output, or null when it fails (3.40 builds broken SQL for some schema changes). */
export function sqldiff(aPath: string, bPath: string, ...options: string[]): string | null {
  try {
    return execFileSync('sqldiff', [...options, aPath, bPath], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return null;
  }
}

/** Applies SQL to a copy of A with the sqlite3 shell, returns the copy's path. */
export function applyToCopy(aPath: string, sql: string, copyPath: string): string {
  copyFileSync(aPath, copyPath);
  sqlite3(copyPath, sql);
  return copyPath;
}

/**
 * Every table's content as sorted lines of `typeof:value` cells read exactly (INTEGER as text,
 * REAL by its bits, TEXT and BLOB as hex), with the rowid for tables that have no primary key.
 */
export async function tableContents(dbPath: string): Promise<Map<string, string[]>> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(dbPath));
  try {
    const result = new Map<string, string[]>();
    const tables = db.exec("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name <> 'sqlite_sequence'")[0]?.values ?? [];
    for (const [name] of tables as [string][]) {
      const columns = (db.exec(`SELECT name, pk FROM pragma_table_info('${name.replaceAll("'", "''")}')`)[0]?.values ?? []) as [string, number][];
      const hasPk = columns.some(([, pk]) => pk > 0);
      const withoutRowid = db.exec(`SELECT wr FROM pragma_table_list('${name.replaceAll("'", "''")}')`)[0]?.values[0]?.[0] === 1;
      const exprs = columns.map(([c]) => `"${c.replaceAll('"', '""')}"`);
      const rowid = !hasPk && !withoutRowid ? [`_rowid_`] : [];
      const cells = [...rowid, ...exprs].flatMap((e) => [`typeof(${e})`, `CASE typeof(${e}) WHEN 'integer' THEN CAST(${e} AS TEXT) WHEN 'text' THEN hex(${e}) WHEN 'blob' THEN hex(${e}) ELSE ${e} END`]);
      const stmt = db.prepare(`SELECT ${cells.join(', ')} FROM "${name.replaceAll('"', '""')}"`);
      const rows: string[] = [];
      while (stmt.step()) {
        const row = stmt.get();
        const parts: string[] = [];
        for (let i = 0; i < row.length; i += 2) parts.push(`${String(row[i])}:${row[i] === 'real' ? realBits(row[i + 1] as number) : String(row[i + 1])}`);
        rows.push(parts.join('|'));
      }
      stmt.free();
      result.set(name, rows.sort());
    }
    return result;
  } finally {
    db.close();
  }
}

/** The schema as sorted `type name sql` lines. */
export async function schemaLines(dbPath: string): Promise<string[]> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(dbPath));
  try {
    const rows = db.exec('SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL')[0]?.values ?? [];
    return rows.map((r) => r.join(' ')).sort();
  } finally {
    db.close();
  }
}

function realBits(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16);
}

/** Writes a database built by running `sql` in sql.js (no shell involved). */
export async function buildWithSqlJs(path: string, sql: string, base?: string): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(base === undefined ? undefined : readFileSync(base));
  try {
    db.run('PRAGMA foreign_keys = OFF');
    db.exec(sql);
    writeFileSync(path, db.export());
  } finally {
    db.close();
  }
}

/** Tables with a declared primary key that has a NULL in some row. */
export async function tablesWithNullKeys(dbPath: string): Promise<Set<string>> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(dbPath));
  try {
    const found = new Set<string>();
    const tables = (db.exec("SELECT name FROM sqlite_schema WHERE type = 'table'")[0]?.values ?? []) as [string][];
    for (const [name] of tables) {
      const quoted = `"${name.replaceAll('"', '""')}"`;
      const keys = ((db.exec(`SELECT name FROM pragma_table_info('${name.replaceAll("'", "''")}') WHERE pk > 0`)[0]?.values ?? []) as [string][]).map(
        ([c]) => `"${c.replaceAll('"', '""')}" IS NULL`,
      );
      if (keys.length > 0 && db.exec(`SELECT 1 FROM ${quoted} WHERE ${keys.join(' OR ')} LIMIT 1`).length > 0) found.add(name);
    }
    return found;
  } finally {
    db.close();
  }
}
