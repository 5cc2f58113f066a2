/**
 * Seeded random pairs of SQLite databases (A, and B derived from A by row and schema changes),
 * built with sql.js, for the diff property tests. The same seed always gives the same pair.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Database } from 'sql.js';
import { loadSqlJs } from '../../../src/core/diff/sqljs-loader';

export class Random {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

type KeyStyle = 'integer-pk' | 'text-pk' | 'composite-pk' | 'no-pk' | 'without-rowid';
interface TableSpec {
  name: string;
  columns: { name: string; type: string }[];
  key: KeyStyle;
}

const TABLE_NAMES = ['t', 'items', 'sel ect', 'Order', 'ü_tab', 'a"b', 'x1', 'log'];
const COLUMN_NAMES = ['a', 'b', 'c', 'val', 'na me', 'select', 'ü', 'x"y', 'k2'];
const TYPES = ['', 'INTEGER', 'TEXT', 'REAL', 'BLOB', 'NUMERIC', 'VARCHAR(10)', 'int'];
// The last piece has more runs of control characters than b2m writes in sqldiff's form.
const TEXT_PIECES = ['', 'a', "'", "it's", '\n', '\t', '\r\n', '\u0001', '\u007f', 'ü', '€', '𝄞', ' ', 'select', ';', '"', 'x', "line\n'".repeat(120)];
const NAMED_REALS = [0.1, 0.5, -2.75, 1e-300, 1.5e-7, 123456.789, 1e308, -1e308, 5e-324, 2.2250738585072014e-308, 0.30000000000000004, Infinity, -Infinity];
const BIG_INTEGERS = ['9223372036854775807', '-9223372036854775808', '9007199254740993', '-9007199254740993', '4294967296'];

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A value as a SQL literal or a bound parameter (text and blobs), built independently of the differ. */
function randomValue(r: Random, params: unknown[], allowNull: boolean): string {
  const kind = r.int(allowNull ? 6 : 5);
  switch (kind) {
    case 0:
      return r.chance(0.3) ? r.pick(BIG_INTEGERS) : String(r.int(2000) - 1000);
    case 1: {
      if (r.chance(0.4)) return realText(r.pick(NAMED_REALS));
      const view = new DataView(new ArrayBuffer(8));
      for (;;) {
        view.setUint32(0, r.int(2 ** 32));
        view.setUint32(4, r.int(2 ** 32));
        const x = view.getFloat64(0);
        if (Number.isFinite(x) && x !== 0) return realText(x);
      }
    }
    case 2: {
      let text = '';
      for (let i = r.int(4); i > 0; i--) text += r.pick(TEXT_PIECES);
      params.push(text);
      return '?';
    }
    case 3:
      params.push(Uint8Array.from({ length: r.int(4) }, () => r.int(256)));
      return '?';
    case 4:
      return String(r.int(50));
    default:
      return 'NULL';
  }
}

function realText(x: number): string {
  if (x === Infinity) return '9e999';
  if (x === -Infinity) return '-9e999';
  const text = String(x);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

function createSql(t: TableSpec): string {
  const defs = t.columns.map((c, i) => {
    let def = `${q(c.name)}${c.type === '' ? '' : ` ${c.type}`}`;
    if (i === 0 && t.key === 'integer-pk') def = `${q(c.name)} INTEGER PRIMARY KEY`;
    // INTEGER PRIMARY KEY would make it the rowid: keep this one a key that may hold anything.
    if (i === 0 && t.key === 'text-pk') def = `${q(c.name)}${c.type === '' || c.type === 'INTEGER' ? '' : ` ${c.type}`} PRIMARY KEY`;
    return def;
  });
  if (t.key === 'composite-pk' || t.key === 'without-rowid') defs.push(`PRIMARY KEY(${q(t.columns[0]!.name)}, ${q(t.columns[1]!.name)})`);
  return `CREATE TABLE ${q(t.name)}(${defs.join(', ')})${t.key === 'without-rowid' ? ' WITHOUT ROWID' : ''}`;
}

function randomTable(r: Random, name: string): TableSpec {
  const count = 2 + r.int(3);
  const names = [...COLUMN_NAMES].sort(() => r.next() - 0.5).slice(0, count);
  const key = r.pick<KeyStyle>(['integer-pk', 'text-pk', 'composite-pk', 'no-pk', 'without-rowid']);
  return { name, key, columns: names.map((n) => ({ name: n, type: r.pick(TYPES) })) };
}

function insertRow(db: Database, r: Random, t: TableSpec): void {
  const params: unknown[] = [];
  const values = t.columns.map((_, i) => {
    const isKey = (i === 0 && t.key !== 'no-pk') || (i === 1 && (t.key === 'composite-pk' || t.key === 'without-rowid'));
    if (i === 0 && t.key === 'integer-pk') return String(r.int(200));
    return randomValue(r, params, !isKey || t.key === 'text-pk' || t.key === 'composite-pk');
  });
  db.run(`INSERT OR IGNORE INTO ${q(t.name)}(${t.columns.map((c) => q(c.name)).join(', ')}) VALUES(${values.join(', ')})`, params as never);
}

/** A WHERE clause picking the row at `offset` (in scan order), if there is one. */
function rowAt(t: TableSpec, offset: number): string {
  const key = t.key === 'without-rowid' ? `(${q(t.columns[0]!.name)}, ${q(t.columns[1]!.name)})` : 'rowid';
  const selected = t.key === 'without-rowid' ? `${q(t.columns[0]!.name)}, ${q(t.columns[1]!.name)}` : 'rowid';
  return `WHERE ${key} IN (SELECT ${selected} FROM ${q(t.name)} LIMIT 1 OFFSET ${offset})`;
}

function changeSomeRows(db: Database, r: Random, t: TableSpec): void {
  const keyColumns = t.key === 'no-pk' ? 0 : t.key === 'integer-pk' || t.key === 'text-pk' ? 1 : 2;
  for (let n = r.int(6); n > 0; n--) {
    const params: unknown[] = [];
    const column = t.columns[keyColumns + r.int(t.columns.length - keyColumns)];
    if (column === undefined) break;
    const value = randomValue(r, params, true);
    db.run(`UPDATE OR IGNORE ${q(t.name)} SET ${q(column.name)} = ${value} ${rowAt(t, r.int(12))}`, params as never);
  }
  for (let n = r.int(4); n > 0; n--) db.run(`DELETE FROM ${q(t.name)} ${rowAt(t, r.int(12))}`);
}

export interface GeneratedPair {
  /** What was done to B, for failure messages. */
  steps: string[];
}

/** Writes A and B for `seed` to the given paths. */
export async function writeRandomPair(seed: number, aPath: string, bPath: string): Promise<GeneratedPair> {
  const r = new Random(seed);
  const SQL = await loadSqlJs();
  const steps: string[] = [];
  const a = new SQL.Database();
  const names = [...TABLE_NAMES].sort(() => r.next() - 0.5).slice(0, 1 + r.int(3));
  const tables = names.map((n) => randomTable(r, n));
  const withAudit = r.chance(0.3) && !names.includes('log');
  for (const t of tables) {
    a.run(createSql(t));
    for (let i = r.int(25); i > 0; i--) insertRow(a, r, t);
    if (r.chance(0.3)) a.run(`CREATE INDEX ${q(`idx_${t.name}`)} ON ${q(t.name)}(${q(t.columns[t.columns.length - 1]!.name)})`);
  }
  if (withAudit) {
    a.run('CREATE TABLE log(n)');
    const t = tables[0]!;
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      a.run(`CREATE TRIGGER ${q(`audit_${event}`)} AFTER ${event} ON ${q(t.name)} BEGIN INSERT INTO log VALUES('${event}'); END`);
    }
  }
  writeFileSync(aPath, a.export());
  a.close();

  const b = new SQL.Database(readFileSync(aPath));
  const step = (sql: string, params: unknown[] = []) => {
    steps.push(sql);
    b.run(sql, params as never);
  };
  for (const t of tables) {
    const action = r.int(10);
    if (action === 0) {
      step(`DROP TABLE ${q(t.name)}`);
      continue;
    }
    for (let i = r.int(5); i > 0; i--) insertRow(b, r, t);
    changeSomeRows(b, r, t);
    if (action === 1) {
      const column = `added_${r.int(100)}`;
      const type = r.pick(TYPES);
      const withDefault = r.chance(0.5);
      step(`ALTER TABLE ${q(t.name)} ADD COLUMN ${q(column)}${type === '' ? '' : ` ${type}`}${withDefault ? ` DEFAULT ${r.pick(["'dflt'", '7', '2.5', 'NULL'])}` : ''}`);
      const params: unknown[] = [];
      const value = randomValue(r, params, true);
      step(`UPDATE ${q(t.name)} SET ${q(column)} = ${value} ${rowAt(t, r.int(3))}`, params);
    } else if (action === 2) {
      const changed = { ...t, columns: t.columns.map((c, i) => (i === t.columns.length - 1 ? { ...c, type: c.type === 'TEXT' ? 'REAL' : 'TEXT' } : c)) };
      step(createSql({ ...changed, name: 'b2m_tmp' }));
      step(`INSERT OR IGNORE INTO b2m_tmp SELECT * FROM ${q(t.name)}`);
      step(`DROP TABLE ${q(t.name)}`);
      step(`ALTER TABLE b2m_tmp RENAME TO ${q(t.name)}`);
    } else if (action === 3) {
      step(`CREATE INDEX ${q(`new_idx_${t.name}`)} ON ${q(t.name)}(${q(t.columns[0]!.name)}, ${q(t.columns[1]!.name)})`);
      step(`DROP INDEX IF EXISTS ${q(`idx_${t.name}`)}`);
    } else if (action === 4) {
      step(`CREATE VIEW ${q(`v_${t.name}`)} AS SELECT count(*) AS n FROM ${q(t.name)}`);
    }
  }
  if (r.chance(0.3)) {
    const t = randomTable(r, 'new table');
    step(createSql(t));
    for (let i = r.int(8); i > 0; i--) insertRow(b, r, t);
  }
  writeFileSync(bPath, b.export());
  b.close();
  return { steps };
}
