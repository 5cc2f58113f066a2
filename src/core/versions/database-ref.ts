import { resolveDatabase, type B2mConfig } from '../config';
import type { EngineContext } from '../context';
import { BadInputError } from '../errors';
import { localDatabasePath, remoteDatabaseName } from '../paths';
import { readLocalState } from '../state/local-state';
import { findVersion } from '../sync/download';
import { ensureSnapshot, exists } from '../sync/local/snapshots';
import { baseVersionOf } from '../sync/sync';
import { readChain, type NumberedVersion } from './chain';
import { listDatabaseVersions } from './history';
import { versionLabel } from './numbering';

/** One side of a comparison, as a person names it: the local file, your base, the head, or one version. */
export type DatabaseRef =
  | { kind: 'local' }
  | { kind: 'base' }
  | { kind: 'head' }
  /** "v3", a version id, or a part of one that only one version has. */
  | { kind: 'version'; version: string }
  /** A version the caller has listed already (a tree node, a picker). */
  | { kind: 'listed'; version: NumberedVersion };

/** A ref made into a file to read and a name for people. */
export interface ResolvedRef {
  /** The local database, or the snapshot of a version (downloaded if needed, verified by SHA-1). */
  path: string;
  /** "app.db (local)", "app.db (your base)", "app.db v5 (head)", "app.db v3". */
  label: string;
}

/**
 * Reads "DB@REF" (`app@head`, `app.db@v3`, `app@base`, `app@local`, `app@<version id>`); in a
 * workspace of one database, REF alone will do.
 */
export function parseDatabaseRef(config: B2mConfig, text: string): { database: string; ref: DatabaseRef } {
  const at = text.lastIndexOf('@');
  if (at < 0 && config.databases.length > 1) {
    throw new BadInputError(`"${text}" names no database, and this workspace has several (${config.databases.join(', ')}).`, `Name the database, e.g. ${config.databases[0]}@${text}.`);
  }
  const database = resolveDatabase(config, at < 0 ? undefined : text.slice(0, at));
  const name = text.slice(at + 1);
  if (name === '') throw new BadInputError(`"${text}" names no version after "@".`, `Use one of ${database}@local, @base, @head, @vN (see "b2m history") or @<version id>.`);
  return { database, ref: name === 'local' || name === 'base' || name === 'head' ? { kind: name } : { kind: 'version', version: name } };
}

/** The name of a side whose version is known without asking the bucket. */
export function databaseRefLabel(database: string, ref: Extract<DatabaseRef, { kind: 'local' | 'base' | 'listed' }>): string {
  switch (ref.kind) {
    case 'local':
      return `${database} (local)`;
    case 'base':
      return `${database} (your base)`;
    case 'listed':
      return `${database} ${versionLabel(ref.version.number)}`;
  }
}

/** The file a ref names (fetching a version's snapshot when it is not cached) and its label. */
export async function resolveDatabaseRef(ctx: EngineContext, database: string, ref: DatabaseRef): Promise<ResolvedRef> {
  switch (ref.kind) {
    case 'local': {
      const path = localDatabasePath(ctx.ws, database);
      if (!(await exists(path))) throw new BadInputError(`${path} does not exist.`, `Run "b2m download ${database}" first.`);
      return { path, label: databaseRefLabel(database, ref) };
    }
    case 'base': {
      const state = (await readLocalState(ctx.ws)).databases[database];
      if (!state) throw new BadInputError(`${database} has no base yet: it was never downloaded or synced here.`, `Run "b2m download ${database}".`);
      return { path: await ensureSnapshot(ctx, baseVersionOf(ctx, database, state)), label: databaseRefLabel(database, ref) };
    }
    case 'head': {
      const remoteName = remoteDatabaseName(ctx.ws, database);
      const { head } = readChain(await listDatabaseVersions(await ctx.store(), remoteName, ctx.signal ? { signal: ctx.signal } : {}));
      if (!head) throw new BadInputError(`${database} has no remote version yet.`, `Publish one with "b2m sync ${database}".`);
      return { path: await ensureSnapshot(ctx, head), label: `${databaseRefLabel(database, { kind: 'listed', version: head })} (head)` };
    }
    case 'version': {
      const version = await findVersion(ctx, remoteDatabaseName(ctx.ws, database), ref.version);
      return resolveDatabaseRef(ctx, database, { kind: 'listed', version });
    }
    case 'listed':
      return { path: await ensureSnapshot(ctx, ref.version), label: databaseRefLabel(database, ref) };
  }
}
