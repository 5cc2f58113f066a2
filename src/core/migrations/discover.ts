import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BadInputError } from '../errors';
import { sha256File } from '../hash';
import { migrationFolders, type MigrationsTarget } from './folders';
import { MigrationFilesError } from './errors';
import { byId, parseMigrationFileName } from './naming';

export interface Migration {
  /** 23-digit id; ids order migrations. */
  id: string;
  phrase: string;
  fileName: string;
  /** Absolute path when `scriptsDir` is absolute. */
  path: string;
  /** SHA-256 (hex) of the file's bytes. */
  checksum: string;
}

/** Files in a migrations folder that are not migrations: helper modules, caches, dotfiles. */
export function isIgnoredScriptFile(fileName: string): boolean {
  return !fileName.endsWith('.py') || fileName.startsWith('_') || fileName.startsWith('.');
}

/**
 * The migrations of a database, sorted by id. A malformed `.py` name or an id used twice is an
 * error (listing every such file), never silently skipped: a skipped script is a lost change.
 */
export async function discoverMigrations(target: MigrationsTarget): Promise<Migration[]> {
  const problems: string[] = [];
  const migrations: Migration[] = [];
  for (const folder of migrationFolders(target)) {
    for (const fileName of await scriptFileNames(folder)) {
      try {
        const { id, phrase } = parseMigrationFileName(fileName);
        const path = join(folder, fileName);
        migrations.push({ id, phrase, fileName, path, checksum: await sha256File(path) });
      } catch (e) {
        if (!(e instanceof BadInputError)) throw e;
        problems.push(`in ${folder}: ${e.message}`);
      }
    }
  }
  migrations.sort(byId);
  for (let i = 1; i < migrations.length; i++) {
    const [previous, current] = [migrations[i - 1], migrations[i]];
    if (previous && current && previous.id === current.id) {
      problems.push(`${previous.path} and ${current.path} share the id ${current.id}; ids must be unique.`);
    }
  }
  if (problems.length > 0) throw new MigrationFilesError(target.db, problems);
  return migrations;
}

/** Names of the candidate scripts in a folder; a missing folder has none. */
export async function scriptFileNames(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries.filter((entry) => !entry.isDirectory() && !isIgnoredScriptFile(entry.name)).map((entry) => entry.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
