import type { Store } from '../store/store';
import { toDatabaseVersion, type DatabaseVersion } from './version-info';

/**
 * Uploaded versions of one remote database in B2's order (newest first), stopping after `limit`
 * or before the version `until`. Errors propagate: a failed listing is never read as "no
 * versions" (that would make a remote look empty).
 */
export async function listDatabaseVersions(
  store: Store,
  remoteName: string,
  options: { signal?: AbortSignal; limit?: number; until?: string } = {},
): Promise<DatabaseVersion[]> {
  const versions: DatabaseVersion[] = [];
  const limit = options.limit ?? Infinity;
  for await (const v of store.listVersions(remoteName, options.signal ? { signal: options.signal } : {})) {
    if (v.name !== remoteName) {
      if (v.name > remoteName) break; // names are sorted: past ours, e.g. "app.db.old"
      continue;
    }
    if (v.action !== 'upload') continue;
    if (v.id === options.until) break;
    versions.push(toDatabaseVersion(v));
    if (versions.length >= limit) break;
  }
  return versions;
}

/** The newest version (the head), or undefined when the database has never been uploaded. */
export async function readHead(store: Store, remoteName: string, signal?: AbortSignal): Promise<DatabaseVersion | undefined> {
  return (await listDatabaseVersions(store, remoteName, { ...(signal ? { signal } : {}), limit: 1 }))[0];
}

/** Versions uploaded after `sinceId` (newest first, that version excluded); every version when it is undefined. */
export function versionsSince(store: Store, remoteName: string, sinceId: string | undefined, signal?: AbortSignal): Promise<DatabaseVersion[]> {
  return listDatabaseVersions(store, remoteName, { ...(signal ? { signal } : {}), ...(sinceId ? { until: sinceId } : {}) });
}
