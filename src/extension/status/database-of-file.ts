import { dirname, resolve } from 'node:path';
import type { Workspace } from '../../core/config';
import { scriptsOf } from '../../core/migrations/database-scripts';
import { migrationFolders } from '../../core/migrations/folders';
import { localDatabasePath } from '../../core/paths';

/** The configured database a file belongs to: its local database file or one of its migration scripts. */
export function databaseOfFile(ws: Workspace, file: string): string | undefined {
  const path = resolve(file);
  for (const database of ws.config.databases) {
    if (localDatabasePath(ws, database) === path) return database;
  }
  const folder = dirname(path);
  if (!path.endsWith('.py')) return undefined;
  // Own folders first: scripts/app/x.py belongs to app.db even though the default database also owns scripts/.
  const owners = ws.config.databases.map((database) => ({
    database,
    folders: migrationFolders(scriptsOf(ws, database)),
  }));
  return owners.find((o) => o.folders.at(-1) === folder)?.database ?? owners.find((o) => o.folders.includes(folder))?.database;
}
