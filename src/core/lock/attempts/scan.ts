import type { RemoteVersion, Store } from '../../store/store';
import { recordFromBody, recordFromInfo, type AttemptRecord } from './attempt-record';
import type { Attempt } from './claims';
import { parseLockFileName } from './names';

/**
 * Lists every attempt in a lock folder and reads who made each. Any failure to list or read
 * throws: an unreadable lock folder never counts as "no lock".
 */
export async function scanAttempts(
  store: Store,
  folder: string,
  database: string,
  fallbackLeaseMs: number,
  signal?: AbortSignal,
): Promise<Attempt[]> {
  const versions: RemoteVersion[] = [];
  for await (const version of store.listVersions(folder, { signal })) versions.push(version);
  return attemptsIn(store, versions, folder, database, fallbackLeaseMs, signal);
}

/** The attempts among already listed versions that lie in `folder`, with who made each. */
export async function attemptsIn(
  store: Store,
  versions: readonly RemoteVersion[],
  folder: string,
  database: string,
  fallbackLeaseMs: number,
  signal?: AbortSignal,
): Promise<Attempt[]> {
  const byId = new Map<string, Attempt>();
  for (const version of versions) {
    const parsed = parseLockFileName(folder, version.name);
    if (!parsed) continue;
    let attempt = byId.get(parsed.attemptId);
    if (!attempt) {
      attempt = { attemptId: parsed.attemptId, attemptVersions: [], heartbeatVersions: [], allVersions: [] };
      byId.set(parsed.attemptId, attempt);
    }
    attempt.allVersions.push(version);
    if (version.action !== 'upload') continue;
    (parsed.kind === 'attempt' ? attempt.attemptVersions : attempt.heartbeatVersions).push(version);
  }
  const attempts = [...byId.values()];
  for (const attempt of attempts) {
    const first = attempt.attemptVersions[0];
    if (first) attempt.record = await readRecord(store, first, database, fallbackLeaseMs, signal);
  }
  return attempts;
}

/** From file info, else from the body; an attempt b2m cannot read still counts, by an unknown holder. */
async function readRecord(
  store: Store,
  version: RemoteVersion,
  database: string,
  fallbackLeaseMs: number,
  signal?: AbortSignal,
): Promise<AttemptRecord> {
  const fromInfo = recordFromInfo(version.info, database);
  if (fromInfo) return fromInfo;
  const fromBody = recordFromBody(await store.downloadBytes(version, { signal }));
  if (fromBody) return { ...fromBody, database };
  return {
    lockId: '',
    database,
    owner: 'unknown',
    host: 'unknown',
    session: 'unknown',
    pid: 0,
    operation: 'unknown',
    leaseMs: fallbackLeaseMs,
    createdAt: '',
    tool: '',
  };
}
