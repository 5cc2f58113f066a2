import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineContext } from '../context';
import { ConflictError } from '../errors';
import { diffDatabases } from '../diff';
import { sameSqlValue } from '../diff/sql/sql-value';
import type { DiffResult, RowKey, SqlValue } from '../diff/types';
import { compareThreeWay, type Conflict, type ThreeWayReport } from '../merge';
import { testMigrations } from '../migrations/apply';
import type { Migration } from '../migrations/discover';
import { computePending } from '../migrations/pending';
import { mergeBase, type HistoryChain, type NumberedVersion } from '../versions/chain';
import { recordedMigrations } from '../versions/recorded-migrations';
import { versionLabel } from '../versions/numbering';
import type { DatabaseVersion } from '../versions/version-info';
import { ensureSnapshot } from './local/snapshots';
import { workFileName, workFolder } from './local/work-files';
import { migrationRunOptions } from './local/workspace-runs';

/** What the remote did since the common ancestor, and what your scripts do to it, compared cell by cell. */
export interface RebaseComparison {
  database: string;
  /** The common ancestor of your base and the head. */
  ancestor: NumberedVersion;
  /** The versions on the head's chain after the ancestor, newest first: "theirs". */
  theirs: NumberedVersion[];
  /** Your scripts replayed (those the ancestor lacks), in id order. */
  yourScripts: string[];
  report: ThreeWayReport;
}

/**
 * The remote changed since your base in the same cells as your migrations: a person decides.
 * Your migrations are replayed on the head, so publishing anyway applies yours on top of theirs.
 */
export class MergeConflictError extends ConflictError {
  constructor(readonly comparison: RebaseComparison) {
    const n = comparison.report.conflicts.length;
    super(
      'overlap',
      `${comparison.database} changed remotely since ${versionLabel(comparison.ancestor.number)} (${describeTheirs(comparison.theirs)}) in the same place${n === 1 ? '' : 's'} as your migrations: ${n} conflict${n === 1 ? '' : 's'}.`,
      'Your migrations are replayed on the newest version, so publishing anyway applies yours on top of theirs. Check each conflict, change your migration if needed, then sync again (or publish anyway with --force).',
    );
    this.name = 'MergeConflictError';
  }

  get conflicts(): Conflict[] {
    return this.comparison.report.conflicts;
  }
}

/**
 * Scenario 2, compared as a three-way merge (Dolt's cell-level rules): ANCESTOR is the newest
 * version both your base and the head descend from (your base itself, unless it was overtaken),
 * THEIRS the head, YOURS the ancestor with every script of this checkout it lacks. A change of
 * theirs that your checkout also has (you pulled their script) shows on both sides alike and
 * merges cleanly; an overtaken base's changes are yours, so a fork causes no false conflict.
 */
export async function compareRebase(
  ctx: EngineContext,
  database: string,
  history: HistoryChain,
  baseVersion: DatabaseVersion,
  headFile: string,
  replayed: string,
  migrations: readonly Migration[],
): Promise<RebaseComparison> {
  ctx.onProgress?.({ step: 'overlap', message: `Comparing the remote changes to ${database} with yours` });
  const ancestor = mergeBase(history, baseVersion.id) ?? { ...baseVersion, number: 0 };
  const ancestorFile = await ensureSnapshot(ctx, ancestor);
  const { pending } = computePending(migrations, await recordedMigrations(ctx, database, ancestor, ancestorFile));
  const yours = join(await workFolder(ctx.ws), workFileName(database, 'yours'));
  try {
    await testMigrations(ancestorFile, pending, { ...migrationRunOptions(ctx), outputPath: yours, quiescentSource: true });
    const signal = ctx.signal ? { signal: ctx.signal } : {};
    const threeWay = await compareThreeWay(ancestorFile, headFile, yours, signal);
    const onHead = threeWay.conflicts.some((c) => c.kind === 'insert-same-key') ? await diffDatabases(headFile, replayed, signal) : undefined;
    const report = onHead ? { ...threeWay, conflicts: threeWay.conflicts.filter((c) => !(c.kind === 'insert-same-key' && keyAssignedAgain(c, onHead))) } : threeWay;
    const theirs = history.versions.filter((v) => history.chain.has(v.id) && v.number > ancestor.number);
    return { database, ancestor, theirs, yourScripts: pending.map((m) => m.fileName), report };
  } finally {
    await rm(yours, { force: true });
  }
}

/**
 * Two inserts under one key are no conflict when the database chose the key (an INTEGER PRIMARY
 * KEY left out of the INSERT): replayed on the head, your row simply took the next free key. The
 * replay tells: their row at that key is untouched, and a row with your values was inserted.
 */
function keyAssignedAgain(conflict: Extract<Conflict, { kind: 'insert-same-key' }>, onHead: DiffResult): boolean {
  const table = onHead.tables.find((t) => t.table === conflict.table);
  if (!table) return false;
  const keyColumns = Object.keys(conflict.key);
  const sameKey = (key: RowKey): boolean => key.columns.every((column, i) => conflict.key[column] !== undefined && sameSqlValue(conflict.key[column] as SqlValue, key.values[i] as SqlValue));
  if (table.rows.some((r) => sameKey(r.key))) return false;
  return table.rows.some(
    (r) =>
      r.kind === 'insert' &&
      table.columns.every((column, i) => keyColumns.includes(column.name) || conflict.yours[column.name] === undefined || sameSqlValue(conflict.yours[column.name] as SqlValue, r.values[i] as SqlValue)),
  );
}

function describeTheirs(theirs: readonly NumberedVersion[]): string {
  const authors = [...new Set(theirs.map((v) => v.author ?? 'someone'))];
  const head = theirs[0];
  return `${head ? `${versionLabel(head.number)}, ` : ''}by ${authors.join(', ')}`;
}
