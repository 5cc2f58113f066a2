import type { EngineContext } from '../context';
import type { LockHolder } from '../errors';
import { formatClock } from '../format';
import { readLockStatuses, type LockStatus } from '../lock';
import { loadManifest } from '../delta/manifests';
import { scriptsOf } from '../migrations/database-scripts';
import { discoverMigrations, type Migration } from '../migrations/discover';
import { findScriptIssues, type ScriptIssue } from '../migrations/integrity';
import { computePending, type RecordedMigration } from '../migrations/pending';
import { remoteDatabaseName, snapshotPath } from '../paths';
import { readAppliedMigrations } from '../sqlite/migrations-table';
import { readLocalState, type DatabaseState } from '../state/local-state';
import { inspectLocalDatabase } from '../sync/local/local-database';
import { exists } from '../sync/local/snapshots';
import { versionLabel } from './numbering';
import { summarizeHistory, type OvertakenVersion, type VersionRef } from './history-summary';
import { toDatabaseVersion, type DatabaseVersion } from './version-info';

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
  head?: DatabaseVersion & { number: number };
  baseVersionId?: string;
  /** Your base as a person reads it (number, author, time), when the history still lists it. */
  base?: VersionRef;
  /** Your base was overtaken by another version built on the same parent (a fork): its migrations the head lacks are pending again. */
  baseOvertaken?: OvertakenVersion;
  /** Versions in the history that the head's chain does not contain, newest first. */
  forks: OvertakenVersion[];
  localExists: boolean;
  /** Scripts not recorded in the version named by `pendingAgainst`, in id order. */
  pending: Migration[];
  /**
   * What `pending` was computed against: the head (from its manifest, or a local copy of it), so
   * "pending" means "not yet in the remote head"; else your base, else the local file (never downloaded).
   */
  pendingAgainst: 'head' | 'base' | 'local' | 'nothing';
  /** Recorded scripts whose file changed since. */
  changed: string[];
  /** Scripts edited, renamed or deleted after they were applied, or older than the newest applied one. */
  scriptIssues: ScriptIssue[];
}

/** A database's status, or why it could not be read. */
export interface StatusEntry {
  database: string;
  status?: DatabaseStatus;
  error?: unknown;
}

const appliedCache = new Map<string, RecordedMigration[]>();

/**
 * The status of several databases at a constant cost: one listing for the heads of all of them
 * and one for all their locks, whatever their number. A head's manifest (the migrations it holds)
 * and its history (forks, numbers) are read only when that head changed since the last time.
 * Read-only for your files: hashes of local files are cached by their identity on disk, never
 * recomputed on every poll. A listing that fails throws: an unknown status is never shown as
 * "up to date" or "unlocked"; a problem with one database's local files is that entry's error.
 */
export async function workspaceStatus(ctx: EngineContext, databases: readonly string[]): Promise<StatusEntry[]> {
  const store = await ctx.store();
  const prefix = ctx.ws.config.prefix;
  const [heads, locks, state] = await Promise.all([
    listHeadsByName(ctx),
    readLockStatuses(store, databases, { prefix, session: ctx.identity.session, leaseMs: ctx.ws.config.lock.leaseSeconds * 1000, ...(ctx.signal ? { signal: ctx.signal } : {}) }),
    readLocalState(ctx.ws),
  ]);
  return Promise.all(
    databases.map(async (database): Promise<StatusEntry> => {
      try {
        const head = heads.get(remoteDatabaseName(ctx.ws, database));
        return { database, status: await statusOf(ctx, database, head, locks.get(database), state.databases[database]) };
      } catch (error) {
        return { database, error };
      }
    }),
  );
}

/** One database's status (see workspaceStatus); throws what could not be read. */
export async function databaseStatus(ctx: EngineContext, database: string): Promise<DatabaseStatus> {
  const [entry] = await workspaceStatus(ctx, [database]);
  if (!entry?.status) throw entry?.error;
  return entry.status;
}

async function listHeadsByName(ctx: EngineContext): Promise<Map<string, DatabaseVersion>> {
  const heads = new Map<string, DatabaseVersion>();
  for await (const v of (await ctx.store()).listHeads(ctx.ws.config.prefix, ctx.signal ? { signal: ctx.signal } : {})) heads.set(v.name, toDatabaseVersion(v));
  return heads;
}

async function statusOf(ctx: EngineContext, database: string, head: DatabaseVersion | undefined, lock: LockStatus | undefined, state: DatabaseState | undefined): Promise<DatabaseStatus> {
  const [local, migrations, history] = await Promise.all([
    inspectLocalDatabase(ctx, database, state),
    discoverMigrations(scriptsOf(ctx.ws, database)),
    head ? summarizeHistory(ctx, database, head, state?.baseVersionId) : undefined,
  ]);
  const { recorded, against } = await recordedForPending(ctx, database, head, state, local.exists ? local.path : undefined);
  const { pending, changed } = computePending(migrations, recorded);
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
  const lockState: LockState = !lock ? 'free' : lock.state === 'held' ? (lock.holder?.isMine ? 'locked-by-me' : 'locked-by-other') : lock.state;
  return {
    database,
    sync,
    uncaptured: local.exists && local.uncaptured && state !== undefined,
    lock: lockState,
    ...(lock?.holder ? { lockHolder: lock.holder } : lock?.stale[0] ? { lockHolder: lock.stale[0] } : {}),
    ...(head && history ? { head: { ...head, number: history.head.number } } : {}),
    ...(state ? { baseVersionId: state.baseVersionId } : {}),
    ...(history?.base ? { base: history.base } : {}),
    ...(history?.baseOvertaken ? { baseOvertaken: history.baseOvertaken } : {}),
    forks: history?.forks ?? [],
    localExists: local.exists,
    pending,
    pendingAgainst: against,
    changed: changed.map((c) => c.migration.fileName),
    scriptIssues: findScriptIssues(migrations, recorded, { recordedIn: against === 'head' ? 'the head' : against === 'base' ? 'your base' : 'your local file' }),
  };
}

/**
 * What the head records, without downloading it: its manifest (fetched once per version), else a
 * local copy of it; failing both, your base, or for a database never downloaded, the local file.
 */
export async function recordedForPending(
  ctx: EngineContext,
  database: string,
  head: DatabaseVersion | undefined,
  state: DatabaseState | undefined,
  localPath: string | undefined,
): Promise<{ recorded: RecordedMigration[]; against: DatabaseStatus['pendingAgainst'] }> {
  if (head) {
    const manifest = await loadManifest(ctx, database, head);
    if (manifest) return { recorded: manifest.migrations, against: 'head' };
    const copy = head.sha1 ? snapshotPath(ctx.ws, head.sha1) : undefined;
    if (copy && (await exists(copy))) return { recorded: await appliedMigrationsOf(copy, ctx.ws.config.python), against: 'head' };
  }
  if (state) return { recorded: await appliedMigrationsOf(snapshotPath(ctx.ws, state.baseSha1), ctx.ws.config.python), against: 'base' };
  if (localPath) return { recorded: await appliedMigrationsOf(localPath, ctx.ws.config.python), against: 'local' };
  return { recorded: [], against: 'nothing' };
}

/** Snapshots never change (named by SHA-1), so their recorded migrations are read once per process. */
async function appliedMigrationsOf(path: string, python: string): Promise<RecordedMigration[]> {
  const key = path.includes('/snapshots/') ? path : undefined;
  const cached = key ? appliedCache.get(key) : undefined;
  if (cached) return cached;
  if (!(await exists(path))) return [];
  const applied = await readAppliedMigrations(path, { python });
  if (key) appliedCache.set(key, applied);
  return applied;
}

/** One fact of a status; `until` is a time to end its text with where there is room (the status bar, the command line). */
export interface StatusFact {
  text: string;
  until?: number;
}

/** What a database's status says, most important first, each short enough for a tree row to show as many as fit. */
export function statusFacts(s: DatabaseStatus): StatusFact[] {
  const facts: StatusFact[] = [];
  const holder = s.lockHolder;
  if (s.lock === 'locked-by-other' && holder) facts.push({ text: `locked by ${holder.owner}`, until: holder.expires });
  if (s.lock === 'locked-by-me') facts.push({ text: 'locked by you' });
  if (s.uncaptured) facts.push({ text: 'uncaptured edits' });
  if (s.baseOvertaken) facts.push({ text: `your ${versionLabel(s.baseOvertaken.version.number)} overtaken` });
  facts.push({ text: SYNC_SUMMARIES[s.sync](s.pending.length) });
  if (s.scriptIssues.length > 0) facts.push({ text: `${s.scriptIssues.length} script warning${s.scriptIssues.length === 1 ? '' : 's'}` });
  if (s.lock === 'stale' && holder) facts.push({ text: `stale lock of ${holder.owner}` });
  return facts;
}

/** "locked by carol until 14:02 · 2 to push": the facts on one line, times as `clock` writes them. */
export function joinStatusFacts(facts: readonly StatusFact[], clock: (ms: number) => string): string {
  return facts.map((fact) => (fact.until === undefined ? fact.text : `${fact.text} until ${clock(fact.until)}`)).join(' · ');
}

/** The one line of a status: "app.db: locked by carol until 14:02:11 UTC · 2 to push". */
export function describeStatus(s: DatabaseStatus): string {
  return `${s.database}: ${joinStatusFacts(statusFacts(s), formatClock)}`;
}

const SYNC_SUMMARIES: Record<SyncState, (pending: number) => string> = {
  'up-to-date': () => 'up to date',
  ahead: (pending) => `${pending} to push`,
  behind: () => 'behind',
  diverged: (pending) => `behind, ${pending} to push`,
  'not-downloaded': () => 'not downloaded',
  'only-local': () => 'only local',
  missing: () => 'no file yet',
};

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
