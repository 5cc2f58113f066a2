import { join } from 'node:path';
import { runTimed } from './processes';

export interface ContentDatabase {
  bytes: number;
  /** Rows per table. */
  rows: Record<string, number>;
  buildMs: number;
}

/**
 * Builds a content database of about `megabytes` MB at `path` with Python's sqlite3: users,
 * articles with text bodies, tags, article_tags and events (see content_db.py).
 */
export async function buildContentDatabase(path: string, megabytes: number): Promise<ContentDatabase> {
  const run = await runTimed('python3', [join(import.meta.dirname, 'content_db.py'), path, '--mb', String(megabytes)]);
  const built = JSON.parse(run.stdout) as Omit<ContentDatabase, 'buildMs'>;
  return { ...built, buildMs: run.ms };
}

export function totalRows(db: ContentDatabase): number {
  return Object.values(db.rows).reduce((a, b) => a + b, 0);
}

/** "4,075,693 rows: users 210,526, articles 314,285, …" */
export function describeRows(db: ContentDatabase): string {
  const each = Object.entries(db.rows)
    .map(([table, n]) => `${table} ${n.toLocaleString('en-US')}`)
    .join(', ');
  return `${totalRows(db).toLocaleString('en-US')} rows (${each})`;
}
