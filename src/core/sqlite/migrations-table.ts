import { assertSqliteFile } from './header';
import { runSqliteHelper, type SqliteHelperOptions } from './python-helper';

/** The table inside every database that records which migration scripts made it. */
export const MIGRATIONS_TABLE = '_b2m_migrations';

export const MIGRATIONS_TABLE_DDL =
  `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (` +
  'id TEXT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL, applied_by TEXT NOT NULL)';

/** One row of `_b2m_migrations`. */
export interface AppliedMigration {
  /** The 23-digit migration id. */
  id: string;
  /** The migration's phrase. */
  name: string;
  /** SHA-256 (hex) of the script as it was run. */
  checksum: string;
  /** ISO 8601 UTC time of the run. */
  appliedAt: string;
  /** Who ran it. */
  appliedBy: string;
}

/**
 * The migrations recorded in a database, in id order ([] if it has no `_b2m_migrations` table).
 * Strictly read-only: the file, its mtime and its folder are left exactly as they were.
 */
export async function readAppliedMigrations(dbPath: string, options: SqliteHelperOptions = {}): Promise<AppliedMigration[]> {
  await assertSqliteFile(dbPath);
  return runSqliteHelper<AppliedMigration[]>('applied', dbPath, [dbPath], options);
}
