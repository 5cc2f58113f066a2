import type { EngineContext } from '../context';
import { loadManifest } from '../delta/manifests';
import type { RecordedMigration } from '../migrations/pending';
import { readAppliedMigrations } from '../sqlite/migrations-table';
import { ensureSnapshot } from '../sync/local/snapshots';
import type { DatabaseVersion } from './version-info';

/**
 * The migrations a version records in its `_b2m_migrations`: from its manifest when it has one
 * (nothing downloaded), else read from its snapshot (`file`, or fetched).
 */
export async function recordedMigrations(ctx: EngineContext, database: string, version: DatabaseVersion, file?: string): Promise<RecordedMigration[]> {
  const manifest = await loadManifest(ctx, database, version);
  if (manifest) return manifest.migrations;
  return readAppliedMigrations(file ?? (await ensureSnapshot(ctx, version)), { python: ctx.ws.config.python });
}
