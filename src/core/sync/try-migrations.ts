import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineContext } from '../context';
import { diffDatabases, hasDifferences } from '../diff';
import type { DiffResult } from '../diff/types';
import { BadInputError } from '../errors';
import { sha1File } from '../hash';
import { scriptsOf } from '../migrations/database-scripts';
import { discoverMigrations, type Migration } from '../migrations/discover';
import { testMigrations } from '../migrations/apply';
import { computePending } from '../migrations/pending';
import { b2mDir, localDatabasePath } from '../paths';
import { readAppliedMigrations } from '../sqlite/migrations-table';
import { readLocalState, updateDatabaseState } from '../state/local-state';
import { inspectLocalDatabase, installLocalDatabase } from './local/local-database';
import { ensureSnapshot, exists, rememberSnapshot } from './local/snapshots';
import { baseVersionOf } from './sync';
import { workFolder } from './local/work-files';
import { migrationRunOptions } from './local/workspace-runs';

export interface TryOutcome {
  tested: Migration[];
  /** What the migrations change: your base version → the result. */
  diff: DiffResult;
  /** Whether your local file holds exactly the result (after `b2m capture`: the captured script reproduces your edits). */
  matchesLocal: boolean;
  /** Whether your local file is exactly the version the migrations ran on: it lacks only their changes, and holds no edits of its own. */
  localIsBase: boolean;
  /** Where the migrated copy is kept, when not applied. */
  resultPath?: string;
  applied: boolean;
  /** With `apply`: where the local file the result replaced is kept, when it was not a remote version. */
  backup?: string;
}

/**
 * Runs the scripts your base version has not recorded on a copy of that base (the local file for a
 * database never downloaded): shows what they change, base → result, so edits still in the local
 * file never count as the migrations' work; and tells whether your local file is exactly the
 * result (after `b2m capture`: the captured script reproduces your edits). With `apply`, the
 * result replaces the local database (backed up first) and counts as b2m's own.
 */
export async function tryPendingMigrations(ctx: EngineContext, database: string, options: { apply?: boolean; only?: string[] } = {}): Promise<TryOutcome> {
  const local = localDatabasePath(ctx.ws, database);
  if (!(await exists(local))) throw new BadInputError(`${local} does not exist.`, `Run "b2m download ${database}" first.`);
  const state = (await readLocalState(ctx.ws)).databases[database];
  const source = state ? await ensureSnapshot(ctx, baseVersionOf(ctx, database, state)) : local;
  const all = await discoverMigrations(scriptsOf(ctx.ws, database));
  const { pending } = computePending(all, await readAppliedMigrations(source, { python: ctx.ws.config.python }));
  const selected = options.only ? pending.filter((m) => options.only!.some((o) => m.fileName === o || m.id === o || m.path === o)) : pending;
  if (options.only && selected.length === 0) throw new BadInputError(`None of ${options.only.join(', ')} is a pending migration of ${database}.`, 'Run "b2m migrations list" to see them.');
  const folder = join(b2mDir(ctx.ws), 'tests');
  await mkdir(folder, { recursive: true });
  const resultPath = join(folder, `${database}.tested.db`);
  await testMigrations(source, selected, { ...migrationRunOptions(ctx), outputPath: resultPath, quiescentSource: source !== local });
  const diffOptions = { python: ctx.ws.config.python, scratchDir: await workFolder(ctx.ws), ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const diff = await diffDatabases(source, resultPath, { ...diffOptions, labels: { a: state ? `${database} (your base)` : `${database} (local)`, b: `${database} after the migrations` } });
  const matchesLocal = source === local ? !hasDifferences(diff) : !hasDifferences(await diffDatabases(local, resultPath, { ...diffOptions, summaryOnly: true }));
  const before = await inspectLocalDatabase(ctx, database, state);
  const localIsBase = source === local || (!before.pendingWal && before.sha1 === state?.baseSha1);
  if (!options.apply) return { tested: selected, diff, matchesLocal, localIsBase, resultPath, applied: false };

  const { backup } = await installLocalDatabase(ctx, database, resultPath, { keepBackup: before.uncaptured || before.sha1 !== state?.baseSha1 });
  await rm(resultPath, { force: true });
  if (state && !before.uncaptured) {
    const sha1 = await sha1File(local, ctx.signal);
    await rememberSnapshot(ctx, local, sha1);
    await updateDatabaseState(ctx.ws, database, { ...state, localSha1: sha1, updatedAt: new Date().toISOString() });
  }
  return { tested: selected, diff, matchesLocal: true, localIsBase: false, applied: true, ...(backup ? { backup } : {}) };
}
