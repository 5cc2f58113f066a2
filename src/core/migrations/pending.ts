import type { AppliedMigration } from '../sqlite/migrations-table';

/** What a database records of a migration it holds (its `_b2m_migrations` row, or its manifest's entry). */
export type RecordedMigration = Pick<AppliedMigration, 'id' | 'name' | 'checksum'>;
import type { Migration } from './discover';
import { byId } from './naming';

export interface PendingMigrations {
  /** Scripts the database has not recorded, in id order (an older id that arrived late included). */
  pending: Migration[];
  /** Recorded, but the script's checksum differs from the one recorded: reported, never re-run. */
  changed: { migration: Migration; applied: RecordedMigration }[];
  /** Recorded, but no script with that id exists here (deleted, renamed, or not pulled yet). */
  missing: RecordedMigration[];
}

/** Compares the scripts on disk with what a database recorded in `_b2m_migrations`. */
export function computePending(migrations: readonly Migration[], applied: readonly RecordedMigration[]): PendingMigrations {
  const appliedById = new Map(applied.map((row) => [row.id, row]));
  const scriptIds = new Set(migrations.map((migration) => migration.id));
  const result: PendingMigrations = { pending: [], changed: [], missing: [] };
  for (const migration of [...migrations].sort(byId)) {
    const row = appliedById.get(migration.id);
    if (row === undefined) result.pending.push(migration);
    else if (row.checksum !== migration.checksum) result.changed.push({ migration, applied: row });
  }
  result.missing = applied.filter((row) => !scriptIds.has(row.id)).sort(byId);
  return result;
}
