import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BadInputError } from '../errors';
import { scriptFileNames } from './discover';
import { migrationFolders, newMigrationFolder, type MigrationsTarget } from './folders';
import { migrationFileName, newMigrationId, nextMigrationId, normalisePhrase, type NanoClock } from './naming';
import { migrationTemplate } from './template';

export interface CreateMigrationOptions extends MigrationsTarget {
  /** Free text; normalised into the file name's phrase. */
  phrase: string;
  /** SQL to embed, e.g. captured local edits. */
  sql?: string;
  /** Clock for the id; the system clock by default. */
  now?: NanoClock;
}

const MAX_ATTEMPTS = 1000;

/**
 * Writes a new migration script from the template and returns its absolute path. The id is
 * unique among the database's scripts even when other creates (in this or other processes) run
 * in the same nanosecond: an id is first reserved with an exclusively created marker file, checked
 * against every existing script, and the script itself is created exclusively ('wx'); on any
 * collision the id moves on by 1 ns.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<string> {
  const phrase = normalisePhrase(options.phrase);
  const folder = resolve(newMigrationFolder(options));
  await mkdir(folder, { recursive: true });
  const content = migrationTemplate({ phrase, sql: options.sql });
  let id = newMigrationId(options.now);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++, id = nextMigrationId(id)) {
    const path = await createIfIdFree(options, folder, id, join(folder, migrationFileName(id, phrase)), content);
    if (path !== undefined) return path;
  }
  throw new BadInputError(`Could not find a free migration id in ${folder} after ${MAX_ATTEMPTS} attempts.`);
}

async function createIfIdFree(
  target: MigrationsTarget,
  folder: string,
  id: string,
  path: string,
  content: string,
): Promise<string | undefined> {
  // Hidden, so discovery ignores it; it only lives for the few milliseconds of this check.
  const reservation = join(folder, `.${id}.b2m-reserve`);
  const reserved = await createExclusive(() => open(reservation, 'wx').then((handle) => handle.close()));
  if (!reserved) return undefined;
  try {
    if (await idInUse(target, id)) return undefined;
    return (await createExclusive(() => writeFile(path, content, { flag: 'wx' }))) ? path : undefined;
  } finally {
    await rm(reservation, { force: true });
  }
}

async function idInUse(target: MigrationsTarget, id: string): Promise<boolean> {
  for (const folder of migrationFolders(target)) {
    if ((await scriptFileNames(folder)).some((name) => name.startsWith(`${id}_`))) return true;
  }
  return false;
}

/** Runs an exclusive create; false if the file already existed. */
async function createExclusive(create: () => Promise<void>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}
