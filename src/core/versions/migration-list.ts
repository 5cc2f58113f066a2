import type { EngineContext } from '../context';
import { scriptsOf } from '../migrations/database-scripts';
import { discoverMigrations } from '../migrations/discover';
import { byId, migrationFileName } from '../migrations/naming';
import { computePending } from '../migrations/pending';
import { localDatabasePath, remoteDatabaseName } from '../paths';
import { readLocalState } from '../state/local-state';
import { exists } from '../sync/local/snapshots';
import { summarizeHistory, type VersionRef } from './history-summary';
import { readHead } from './history';
import { recordedForPending, type DatabaseStatus } from './status';

/**
 * Where a script stands: `applied` (recorded, unchanged), `pending` (not recorded), `changed`
 * (recorded, then edited: not run again), `missing` (recorded, but no file here).
 */
export type ScriptState = 'applied' | 'pending' | 'changed' | 'missing';

export interface ListedScript {
  id: string;
  fileName: string;
  state: ScriptState;
  /** The file; absent for a missing script. */
  path?: string;
}

export interface MigrationList {
  database: string;
  /** Where "applied" was read: the head (its manifest or a local copy), else your base, else the local file. */
  against: DatabaseStatus['pendingAgainst'];
  /** The version `against` names, when it is the head or your base and the history lists it. */
  version?: VersionRef;
  /** Every script of the database's folder and every recorded one, in id order. */
  scripts: ListedScript[];
}

/** The scripts of a database marked applied or pending against the head, as status computes pending. */
export async function listMigrations(ctx: EngineContext, database: string): Promise<MigrationList> {
  const [head, state] = await Promise.all([
    readHead(await ctx.store(), remoteDatabaseName(ctx.ws, database), ctx.signal),
    readLocalState(ctx.ws).then((s) => s.databases[database]),
  ]);
  const local = localDatabasePath(ctx.ws, database);
  const [migrations, { recorded, against }] = await Promise.all([
    discoverMigrations(scriptsOf(ctx.ws, database)),
    recordedForPending(ctx, database, head, state, (await exists(local)) ? local : undefined),
  ]);
  const { pending, changed, missing } = computePending(migrations, recorded);
  const stateOf = (id: string): ScriptState => (pending.some((m) => m.id === id) ? 'pending' : changed.some((c) => c.migration.id === id) ? 'changed' : 'applied');
  const scripts: ListedScript[] = [
    ...migrations.map((m) => ({ id: m.id, fileName: m.fileName, state: stateOf(m.id), path: m.path })),
    ...missing.map((r) => ({ id: r.id, fileName: migrationFileName(r.id, r.name), state: 'missing' as const })),
  ].sort(byId);
  const history = head && (against === 'head' || against === 'base') ? await summarizeHistory(ctx, database, head, state?.baseVersionId) : undefined;
  const version = against === 'head' ? history?.head : history?.base;
  return { database, against, ...(version ? { version } : {}), scripts };
}
