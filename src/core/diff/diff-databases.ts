import { runDiff, type DiffOptions, type SqlSink } from './diff-engine';
import type { DiffOutline, DiffResult, RowChange } from './types';

/**
 * Compares two SQLite files: per table schema changes and changed rows (paired by primary key,
 * else rowid), index/view/trigger changes, and SQL that turns A into B. Keeps every changed row
 * in memory; for SQL text of large diffs use writeDiffSql.
 */
export async function diffDatabases(aPath: string, bPath: string, options: DiffOptions = {}): Promise<DiffResult> {
  const sql: string[] = [];
  const rows = new Map<string, RowChange[]>();
  const outline = await runDiff(aPath, bPath, options, {
    sql: (text) => {
      sql.push(text);
    },
    row: (table, change) => {
      const list = rows.get(table);
      if (list) list.push(change);
      else rows.set(table, [change]);
    },
  });
  return {
    ...outline,
    tables: outline.tables.map((t) => ({ ...t, rows: rows.get(t.table) ?? [] })),
    sql: sql.join(''),
  };
}

/** Streams the SQL that turns A into B to `sink` without keeping rows; returns the outline. */
export function writeDiffSql(aPath: string, bPath: string, sink: SqlSink, options: Omit<DiffOptions, 'summaryOnly'> = {}): Promise<DiffOutline> {
  return runDiff(aPath, bPath, options, { sql: sink });
}
