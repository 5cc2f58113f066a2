import { databaseKey, type Workspace } from '../config';
import { scriptsDir } from '../paths';
import type { MigrationsTarget } from './folders';

/**
 * Where the migration scripts of a configured database live: `scripts/<key>/` (`scripts/app/` for
 * app.db), and for the first database of b2m.json also `scripts/` itself.
 */
export function scriptsOf(ws: Workspace, database: string): MigrationsTarget {
  return { scriptsDir: scriptsDir(ws), db: databaseKey(database), isDefault: ws.config.databases[0] === database };
}
