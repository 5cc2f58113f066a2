import { join } from 'node:path';
import { BadInputError } from '../errors';

/** Which database's migrations: its name without `.db`, and whether it is the configured default. */
export interface MigrationsTarget {
  /** The migrations folder of the repository (b2m.json), e.g. `<repo>/scripts`. */
  scriptsDir: string;
  /** The database's name without `.db`: `app` for `app.db`, whose scripts live in `scripts/app/`. */
  db: string;
  /** The default database also owns the scripts directly in `scriptsDir`. */
  isDefault: boolean;
}

/** The folders holding a database's migrations. */
export function migrationFolders(target: MigrationsTarget): string[] {
  const own = join(target.scriptsDir, checkedDbName(target.db));
  return target.isDefault ? [target.scriptsDir, own] : [own];
}

/** Where a new migration of the database goes: `scriptsDir` itself for the default database. */
export function newMigrationFolder(target: MigrationsTarget): string {
  return target.isDefault ? target.scriptsDir : join(target.scriptsDir, checkedDbName(target.db));
}

function checkedDbName(db: string): string {
  if (db === '' || db === '.' || db === '..' || /[/\\]/.test(db) || db.startsWith('_') || db.startsWith('.')) {
    throw new BadInputError(
      `"${db}" cannot name a migrations folder.`,
      'Database names are single folder names that do not start with "_" or ".", e.g. "app" for app.db.',
    );
  }
  return db;
}
