import { dirname, resolve } from 'node:path';
import { databaseKey, type Workspace } from '../../core/config';
import { migrationFolders } from '../../core/migrations/folders';
import { localDatabasePath, scriptsDir } from '../../core/paths';

/** The configured database a file belongs to: its local database file or one of its migration scripts. */
export function databaseOfFile(ws: Workspace, file: string): string | undefined {
  const path = resolve(file);
  for (const database of ws.config.databases) {
    if (localDatabasePath(ws, database) === path) return database;
  }
  const folder = dirname(path);
  if (!path.endsWith('.py')) return undefined;
  // Own folders first: scripts/app/x.py belongs to app.db even though the default database also owns scripts/.
  const owners = ws.config.databases.map((database, index) => ({
    database,
    folders: migrationFolders({ scriptsDir: scriptsDir(ws), db: databaseKey(database), isDefault: index === 0 }),
  }));
  return owners.find((o) => o.folders.at(-1) === folder)?.database ?? owners.find((o) => o.folders.includes(folder))?.database;
}
