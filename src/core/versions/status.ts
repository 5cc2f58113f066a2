import { databaseKey } from '../config';
import type { EngineContext } from '../context';
import type { LockHolder } from '../errors';
import { readLockStatus } from '../lock';
import { discoverMigrations, type Migration } from '../migrations/discover';
import { computePending } from '../migrations/pending';
import { remoteDatabaseName, scriptsDir, snapshotPath } from '../paths';
import { readAppliedMigrations, type AppliedMigration } from '../sqlite/migrations-table';
import { readLocalState } from '../state/local-state';
import { inspectLocalDatabase } from '../sync/local-database';
import { exists } from '../sync/snapshots';
import { readHead } from './history';
import type { DatabaseVersion } from './version-info';

/** Where a database stands between this working folder and the bucket (design: "Status of a database"). */
export type SyncState =
  | 'up-to-date'
  | 'behind' // the remote has a newer version
  | 'ahead' // migrations to push
  | 'diverged' // both: sync rebases
  | 'not-downloaded'
  | 'only-local'
  | 'missing'; // neither here nor in the bucket

export type LockState = 'free' | 'locked-by-me' | 'locked-by-other' | 'stale';

export interface DatabaseStatus {
  database: string;
  sync: SyncState;
  /** Local edits no migration explains. */
  uncaptured: boolean;
  lock: LockState;
  lockHolder?: LockHolder;
  head?: DatabaseVersion;
  baseVersionId?: string;
  localExists: boolean;
  /** Scripts not recorded in the version named by `pendingAgainst`, in id order. */
  pending: Migration[];
  /**
   * What `pending` was computed against: the head when a copy of it is at hand (so "pending" means
   * "not yet in the remote head"), else your base, else the local file (never downloaded).
   */
  pendingAgainst: 'head' | 'base' | 'local' | 'nothing';
  /** Recorded scripts whose file changed since. */
  changed: string[];
}

const appliedCache = new Map<string, AppliedMigration[]>();

/**
 * Computes a database's status. Read-only: hashes the local file, reads snapshots and lists the
 * bucket; never writes a database. Errors (B2 unreachable, lock folder unreadable) propagate:
 * an unknown status is never shown as "up to date" or "unlocked".
 */
export async function databaseStatus(ctx: EngineContext, database: string): Promise<DatabaseStatus> {
  const store = await ctx.store();
  const state = (await readLocalState(ctx.ws)).databases[database];
  const [head, lock, local, migrations] = await Promise.all([
    readHead(store, remoteDatabaseName(ctx.ws, database), ctx.signal),
    readLockStatus(store, database, { prefix: ctx.ws.config.prefix, session: ctx.identity.session, leaseMs: ctx.ws.config.lock.leaseSeconds * 1000, ...(ctx.signal ? { signal: ctx.signal } : {}) }),
    inspectLocalDatabase(ctx, database, state),
    discoverMigrations({ scriptsDir: scriptsDir(ctx.ws), db: databaseKey(database), isDefault: ctx.ws.config.databases[0] === database }),
  ]);
  const headCopy = head?.sha1 ? snapshotPath(ctx.ws, head.sha1) : undefined;
  const [pendingAgainst, recordedIn] =
    headCopy && (await exists(headCopy))
      ? (['head', headCopy] as const)
      : state
        ? (['base', snapshotPath(ctx.ws, state.baseSha1)] as const)
        : local.exists
          ? (['local', local.path] as const)
          : (['nothing', undefined] as const);
  const applied = recordedIn ? await appliedMigrationsOf(recordedIn, ctx.ws.config.python) : [];
  const { pending, changed } = computePending(migrations, applied);
  const behind = head !== undefined && state !== undefined && head.id !== state.baseVersionId;
  const sync: SyncState = !head
    ? local.exists
      ? 'only-local'
      : 'missing'
    : !state || !local.exists
      ? 'not-downloaded'
      : behind && pending.length > 0
        ? 'diverged'
        : behind
          ? 'behind'
          : pending.length > 0
            ? 'ahead'
            : 'up-to-date';
  const lockState: LockState = lock.state === 'held' ? (lock.holder?.isMine ? 'locked-by-me' : 'locked-by-other') : lock.state;
  return {
    database,
    sync,
    uncaptured: local.exists && local.uncaptured && state !== undefined,
    lock: lockState,
    ...(lock.holder ? { lockHolder: lock.holder } : lock.stale[0] ? { lockHolder: lock.stale[0] } : {}),
    ...(head ? { head } : {}),
    ...(state ? { baseVersionId: state.baseVersionId } : {}),
    localExists: local.exists,
    pending,
    pendingAgainst,
    changed: changed.map((c) => c.migration.fileName),
  };
}

/** Snapshots never change (named by SHA-1), so their recorded migrations are read once per process. */
async function appliedMigrationsOf(path: string, python: string): Promise<AppliedMigration[]> {
  const key = path.includes('/snapshots/') ? path : undefined;
  const cached = key ? appliedCache.get(key) : undefined;
  if (cached) return cached;
  if (!(await exists(path))) return [];
  const applied = await readAppliedMigrations(path, { python });
  if (key) appliedCache.set(key, applied);
  return applied;
}

/** One line for people: "app.db: 2 migrations to push · locked by alice@laptop until 14:02 UTC". */
export function describeStatus(s: DatabaseStatus): string {
  const parts: string[] = [SYNC_LABELS[s.sync](s)];
  if (s.uncaptured) parts.push('uncaptured local edits');
  if (s.changed.length > 0) parts.push(`${s.changed.length} applied script(s) changed`);
  if (s.lock === 'locked-by-other' && s.lockHolder) parts.push(`locked by ${s.lockHolder.owner}@${s.lockHolder.host} (${s.lockHolder.operation}) until ${new Date(s.lockHolder.expires).toISOString().slice(11, 19)} UTC`);
  if (s.lock === 'locked-by-me') parts.push('locked by you');
  if (s.lock === 'stale' && s.lockHolder) parts.push(`stale lock of ${s.lockHolder.owner}@${s.lockHolder.host} (expired; the next sync clears it)`);
  return `${s.database}: ${parts.join(' · ')}`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const SYNC_LABELS: Record<SyncState, (s: DatabaseStatus) => string> = {
  'up-to-date': () => 'up to date',
  behind: () => 'remote newer (behind): run sync or download',
  ahead: (s) => `${plural(s.pending.length, 'migration')} to push`,
  diverged: (s) => `remote newer and ${plural(s.pending.length, 'migration')} to push: sync rebases`,
  'not-downloaded': () => 'not downloaded',
  'only-local': () => 'only local: sync publishes it as the first version',
  missing: () => 'neither local nor remote',
};
