import type { DiffResult, SqlValue } from '../diff/types';

/** Where the remote's changes since your base and your migrations' changes touch the same things. */
export interface OverlapReport {
  /** Tables whose schema changed on both sides. */
  schemaTables: string[];
  /** Per table, primary keys of rows changed on both sides (as shown to the user, e.g. "id=7"). */
  rows: { table: string; keys: string[] }[];
}

export function hasOverlap(report: OverlapReport): boolean {
  return report.schemaTables.length > 0 || report.rows.length > 0;
}

/** Compares two diffs (remote base→head, and head→your candidate) by table schema and row key. */
export function findOverlap(remote: DiffResult, mine: DiffResult): OverlapReport {
  const schemaChanged = (d: DiffResult): Set<string> => new Set(d.tables.filter((t) => t.schemaChanges.length > 0).map((t) => t.table));
  const remoteSchema = schemaChanged(remote);
  const schemaTables = [...schemaChanged(mine)].filter((t) => remoteSchema.has(t)).sort();

  const remoteKeys = new Map(remote.tables.map((t) => [t.table, new Set(t.rows.map((r) => keyText(r.key.columns, r.key.values)))]));
  const rows: OverlapReport['rows'] = [];
  for (const table of mine.tables) {
    const theirs = remoteKeys.get(table.table);
    if (!theirs || schemaTables.includes(table.table)) continue;
    const keys = [...new Set(table.rows.map((r) => keyText(r.key.columns, r.key.values)))].filter((k) => theirs.has(k));
    if (keys.length > 0) rows.push({ table: table.table, keys: keys.sort() });
  }
  return { schemaTables, rows };
}

export function formatOverlap(report: OverlapReport, limit = 10): string {
  const lines = report.schemaTables.map((t) => `  - table ${t}: schema changed on both sides`);
  for (const { table, keys } of report.rows) {
    const shown = keys.slice(0, limit).join(', ');
    lines.push(`  - table ${table}: ${keys.length} row(s) changed on both sides: ${shown}${keys.length > limit ? ', …' : ''}`);
  }
  return lines.join('\n');
}

function keyText(columns: string[], values: SqlValue[]): string {
  return columns.map((c, i) => `${c}=${valueText(values[i] ?? null)}`).join(', ');
}

function valueText(v: SqlValue): string {
  if (v === null) return 'NULL';
  switch (v.type) {
    case 'integer':
      return v.value;
    case 'real':
      return String(v.value);
    case 'text':
      return JSON.stringify(v.value);
    case 'blob':
      return `x'${v.hex}'`;
  }
}
