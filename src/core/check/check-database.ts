import { migrationRunOptions, verifyAsPublished } from '../sync/local/workspace-runs';
import { join } from 'node:path';
import type { EngineContext } from '../context';
import { runDiff } from '../diff/diff-engine';
import { lintCollector } from '../lint';
import { testMigrations } from '../migrations/apply';
import { scriptsOf } from '../migrations/database-scripts';
import { discoverMigrations } from '../migrations/discover';
import { findScriptIssues } from '../migrations/integrity';
import { computePending, type RecordedMigration } from '../migrations/pending';
import { localDatabasePath, remoteDatabaseName } from '../paths';
import { removeDatabaseFiles } from '../sqlite/database-files';
import { readAppliedMigrations } from '../sqlite/migrations-table';
import { consistentSnapshot } from '../sqlite/snapshot';
import { exists } from '../sync/local/snapshots';
import { workFileName, workFolder } from '../sync/local/work-files';
import { readChain, type HistoryChain } from '../versions/chain';
import { listDatabaseVersions } from '../versions/history';
import { recordedMigrations } from '../versions/recorded-migrations';
import { versionLabel } from '../versions/numbering';
import { changeCollector } from './changes';
import { describeFailure, isDatabaseFailure } from './failure';
import { fetchHeadCopy, pruneOlderCopies } from './head-copy';
import type { CheckReport, CheckSource, DatabaseCheck } from './types';

/** Checks each database in turn (see checkDatabase). */
export async function checkDatabases(ctx: EngineContext, databases: readonly string[]): Promise<CheckReport> {
  const checked: DatabaseCheck[] = [];
  for (const database of databases) checked.push(await checkDatabase(ctx, database));
  return { databases: checked };
}

/**
 * Runs the scripts of this checkout that the head lacks on a copy of the head (of the local file
 * when the bucket has no version yet), verifies the result like a sync would, and reports what
 * they changed, the lint's warnings and what is wrong in the scripts folder. Read-only: the local
 * database, the bucket and the locks are never touched; only `.b2m/snapshots` (a cache) changes.
 * A failing script or verification is reported, not thrown; B2 and credential failures throw.
 */
export async function checkDatabase(ctx: EngineContext, database: string): Promise<DatabaseCheck> {
  const { ws } = ctx;
  const result: DatabaseCheck = { database, outcome: 'failed', scripts: [], tables: [], otherChanges: [], lintWarnings: [], scriptIssues: [], notes: [] };
  const folder = await workFolder(ws);
  // Work files carry this process's id, so that ones left by a killed check are removed later.
  const sourceCopy = join(folder, workFileName(database, 'capture'));
  const candidate = join(folder, workFileName(database, 'candidate'));
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  try {
    const scripts = await discoverMigrations(scriptsOf(ws, database));
    ctx.onProgress?.({ step: 'head', message: `Reading the history of ${database}` });
    const history = readChain(await listDatabaseVersions(await ctx.store(), remoteDatabaseName(ws, database), signal));
    const source = await openSource(ctx, database, history, sourceCopy);
    if (!source) {
      result.outcome = 'skipped';
      result.notes.push(`${database} has no version in the bucket and no local file: there is nothing to run its scripts on.`);
      return result;
    }
    result.source = source.source;
    if (source.source.kind === 'local') result.notes.push(`${database} has no version in the bucket yet: the scripts ran on a copy of your local file, which the first sync publishes.`);
    const label = source.source.kind === 'head' ? `the head (${versionLabel(source.source.number)})` : 'your local file';
    result.scriptIssues = findScriptIssues(scripts, source.recorded, { recordedIn: label });
    const { pending } = computePending(scripts, source.recorded);
    result.scripts = pending.map((m) => m.fileName);
    if (pending.length === 0) {
      result.outcome = 'nothing-to-check';
      return result;
    }
    // As a sync runs and verifies them: same Python, time limit, working folder and checks.
    // Either source is b2m's own copy (the head's snapshot, or a consistent copy of the local file): nobody writes it.
    await testMigrations(source.path, pending, { ...migrationRunOptions(ctx), outputPath: candidate, quiescentSource: true });
    ctx.onProgress?.({ step: 'verify', message: `Verifying ${database} after the scripts` });
    await verifyAsPublished(ctx, candidate);
    if (ws.config.verify) result.verifyMode = ws.config.verify;
    if (ws.config.checkScript) result.checkScript = ws.config.checkScript;
    ctx.onProgress?.({ step: 'diff', message: `Comparing ${database} before and after the scripts` });
    // Rows stream through both: only the first few of each kind are kept, whatever the scripts changed.
    const changes = changeCollector();
    const lint = lintCollector();
    const outline = await runDiff(source.path, candidate, { ...signal, python: ws.config.python, scratchDir: folder }, {
      row: (table, change) => {
        changes.row(table, change);
        lint.row(table, change);
      },
    });
    Object.assign(result, changes.summary(outline));
    result.lintWarnings = lint.warnings(outline);
    result.outcome = 'passed';
    return result;
  } catch (e) {
    if (!isDatabaseFailure(e)) throw e;
    result.failure = describeFailure(e, database, ws.root);
    return result;
  } finally {
    await removeDatabaseFiles(candidate);
    await removeDatabaseFiles(sourceCopy);
  }
}

interface Source {
  path: string;
  recorded: RecordedMigration[];
  source: CheckSource;
}

/** The head, fetched; else a consistent copy of the local file; else nothing. */
async function openSource(ctx: EngineContext, database: string, history: HistoryChain, sourceCopy: string): Promise<Source | undefined> {
  const head = history.head;
  if (head) {
    const copy = await fetchHeadCopy(ctx, history, head);
    await pruneOlderCopies(ctx, history);
    return {
      path: copy.path,
      recorded: await recordedMigrations(ctx, database, head, copy.path),
      source: {
        kind: 'head',
        number: head.number,
        versionId: head.id,
        ...(head.author ? { author: head.author } : {}),
        uploadTimestamp: head.uploadTimestamp,
        fetched: { how: copy.how, bytes: copy.bytes },
      },
    };
  }
  const local = localDatabasePath(ctx.ws, database);
  if (!(await exists(local))) return undefined;
  // A copy, so that the scripts and the comparison see the same content even if the file is being written.
  await consistentSnapshot(local, sourceCopy, { python: ctx.ws.config.python, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  return { path: sourceCopy, recorded: await readAppliedMigrations(sourceCopy, { python: ctx.ws.config.python }), source: { kind: 'local' } };
}
