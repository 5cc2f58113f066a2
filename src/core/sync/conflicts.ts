import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineContext } from '../context';
import { ConflictError } from '../errors';
import { compareThreeWay, type Conflict, type ThreeWayReport } from '../merge';
import { testMigrations } from '../migrations/apply';
import type { Migration } from '../migrations/discover';
import { computePending } from '../migrations/pending';
import { mergeBase, type HistoryChain, type NumberedVersion } from '../versions/chain';
import { recordedMigrations } from '../versions/recorded-migrations';
import { versionLabel } from '../versions/numbering';
import type { DatabaseVersion } from '../versions/version-info';
import { ensureSnapshot } from './snapshots';
import { workFileName, workFolder } from './work-files';

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
  migrations: readonly Migration[],
): Promise<RebaseComparison> {
  ctx.onProgress?.({ step: 'overlap', message: `Comparing the remote changes to ${database} with yours` });
  const ancestor = mergeBase(history, baseVersion.id) ?? { ...baseVersion, number: 0 };
  const ancestorFile = await ensureSnapshot(ctx, ancestor);
  const { pending } = computePending(migrations, await recordedMigrations(ctx, database, ancestor, ancestorFile));
  const yours = join(await workFolder(ctx.ws), workFileName(database, 'yours'));
  try {
    await testMigrations(ancestorFile, pending, {
      outputPath: yours,
      python: ctx.ws.config.python,
      timeoutMs: ctx.ws.config.migrationTimeoutSeconds * 1000,
      author: ctx.identity.user,
      cwd: ctx.ws.root,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const report = await compareThreeWay(ancestorFile, headFile, yours, ctx.signal ? { signal: ctx.signal } : {});
    const theirs = history.versions.filter((v) => history.chain.has(v.id) && v.number > ancestor.number);
    return { database, ancestor, theirs, yourScripts: pending.map((m) => m.fileName), report };
  } finally {
    await rm(yours, { force: true });
  }
}

function describeTheirs(theirs: readonly NumberedVersion[]): string {
  const authors = [...new Set(theirs.map((v) => v.author ?? 'someone'))];
  const head = theirs[0];
  return `${head ? `${versionLabel(head.number)}, ` : ''}by ${authors.join(', ')}`;
}
