import type { RemoteVersion, Store } from '../../store/store';
import { attemptFilesPrefix, parseLockFileName } from './names';

/**
 * Deletes every version of one attempt's files, and nothing of any other attempt: first the
 * versions already known, then whatever a listing of the attempt's own names still finds
 * (versions left by retried uploads). Returns how many versions were deleted.
 */
export async function deleteAttemptFiles(
  store: Store,
  folder: string,
  attemptId: string,
  known: readonly RemoteVersion[] = [],
  signal?: AbortSignal,
): Promise<number> {
  const deleted = new Set<string>();
  const remove = async (version: RemoteVersion): Promise<void> => {
    if (deleted.has(version.id) || parseLockFileName(folder, version.name)?.attemptId !== attemptId) return;
    await store.deleteVersion(version, { signal });
    deleted.add(version.id);
  };
  for (const version of known) await remove(version);
  const leftovers: RemoteVersion[] = [];
  for await (const version of store.listVersions(attemptFilesPrefix(folder, attemptId), { signal })) leftovers.push(version);
  for (const version of leftovers) await remove(version);
  return deleted.size;
}
