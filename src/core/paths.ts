import { join, resolve, relative, isAbsolute, sep } from 'node:path';
import { BadInputError } from './errors';
import type { Workspace } from './config';

/** Where everything of one workspace lives on disk and in the bucket. */
export function localDatabasePath(ws: Workspace, database: string): string {
  return insideRoot(ws.root, join(ws.config.localDir, database));
}

export function scriptsDir(ws: Workspace): string {
  return insideRoot(ws.root, ws.config.migrationsDir);
}

/** The git-ignored working folder of b2m: state, cached snapshots, backups, logs. */
export function b2mDir(ws: Workspace): string {
  return join(ws.root, '.b2m');
}

export function snapshotPath(ws: Workspace, sha1: string): string {
  if (!/^[0-9a-f]{40}$/.test(sha1)) throw new BadInputError(`"${sha1}" is not a SHA-1.`);
  return join(b2mDir(ws), 'snapshots', `${sha1}.db`);
}

export function backupsDir(ws: Workspace): string {
  return join(b2mDir(ws), 'backups');
}

export function remoteDatabaseName(ws: Workspace, database: string): string {
  return `${ws.config.prefix}${database}`;
}

/**
 * Joins `path` under `root` and refuses anything that would land outside it, so a config value
 * or a remote name can never make b2m write elsewhere.
 */
export function insideRoot(root: string, path: string): string {
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))) return full;
  throw new BadInputError(`"${path}" points outside ${root}.`, 'Use paths inside the workspace folder.');
}
