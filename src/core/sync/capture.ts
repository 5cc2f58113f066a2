import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineContext } from '../context';
import { diffDatabases } from '../diff';
import { BadInputError } from '../errors';
import { sha1File } from '../hash';
import { createMigration } from '../migrations/create';
import { scriptsOf } from '../migrations/database-scripts';
import { snapshotPath } from '../paths';
import { contentFingerprint } from '../sqlite/fingerprint';
import { consistentSnapshot } from '../sqlite/snapshot';
import { readLocalState, updateDatabaseState } from '../state/local-state';
import { inspectLocalDatabase } from './local/local-database';
import { ensureSnapshot, exists, rememberSnapshot } from './local/snapshots';
import { baseVersionOf } from './sync';
import { workFileName, workFolder } from './local/work-files';

export interface CaptureOutcome {
  /** The new migration script, or undefined when the local file had no changes after all. */
  script?: string;
  tables: string[];
  statements: number;
}

/**
 * Turns local edits that no migration explains (data pasted in, an app's writes, an LLM's output)
 * into a migration script: the SQL difference between what b2m last wrote and the file now.
 * Afterwards the edits are "captured": sync carries them to the bucket and nothing can wipe them.
 */
export async function captureLocalEdits(ctx: EngineContext, database: string, phrase: string): Promise<CaptureOutcome> {
  const state = (await readLocalState(ctx.ws)).databases[database];
  if (!state) throw new BadInputError(`${database} was never downloaded by b2m, so there is no snapshot to compare it with.`, `Run "b2m download ${database}" first.`);
  const local = await inspectLocalDatabase(ctx, database, state);
  if (!local.exists) throw new BadInputError(`${local.path} does not exist.`, `Run "b2m download ${database}".`);
  if (!local.uncaptured) return { tables: [], statements: 0 };

  const before = snapshotPath(ctx.ws, state.localSha1);
  if (!(await exists(before))) {
    if (state.localSha1 !== state.baseSha1) throw new BadInputError(`The snapshot b2m kept of ${database} (${before}) is gone, so the edits cannot be isolated.`, `Download again with --force (your file is backed up), then redo the edits.`);
    await ensureSnapshot(ctx, baseVersionOf(ctx, database, state));
  }
  const now = join(await workFolder(ctx.ws), workFileName(database, 'capture'));
  try {
    await consistentSnapshot(local.path, now, { python: ctx.ws.config.python, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const diff = await diffDatabases(before, now, { ...(ctx.signal ? { signal: ctx.signal } : {}), labels: { a: 'snapshot', b: database } });
    const statements = diff.sql.split('\n').filter((line) => line.trim() !== '').length;
    const tables = diff.tables.filter((t) => t.rows.length > 0 || t.schemaChanges.length > 0).map((t) => t.table);
    let script: string | undefined;
    if (diff.sql.trim() !== '' ) {
      script = await createMigration({ ...scriptsOf(ctx.ws, database), phrase, sql: diff.sql });
    }
    // Record exactly what was captured, so the same edits are never captured twice: the local file
    // itself, or (in WAL mode, its changes not yet in the file) the consistent copy just diffed.
    const captured = local.pendingWal ? now : local.path;
    const sha1 = await sha1File(captured, ctx.signal);
    await rememberSnapshot(ctx, captured, sha1);
    await updateDatabaseState(ctx.ws, database, { ...state, localSha1: sha1, localFingerprint: await contentFingerprint(now, ctx.signal), updatedAt: new Date().toISOString() });
    return { ...(script ? { script } : {}), tables, statements };
  } finally {
    await rm(now, { force: true });
  }
}
