import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EngineContext } from '../context';
import { BadInputError } from '../errors';
import { sha1File } from '../hash';
import { backupsDir, localDatabasePath } from '../paths';
import { consistentSnapshot } from '../sqlite/snapshot';
import { replaceFileDurably } from '../sqlite/database-files';
import { findProcessesHoldingOpen } from '../sqlite/holders';
import { sidecarFiles } from '../sqlite/sidecars';
import type { DatabaseState } from '../state/local-state';

/** What is on disk for one database, compared with what b2m last wrote there. */
export interface LocalDatabase {
  path: string;
  exists: boolean;
  sha1?: string;
  /** Write-ahead log with content (edits that are not in the main file yet). */
  pendingWal: boolean;
  /** True when the file is not byte-for-byte what b2m last wrote (or b2m never wrote it). */
  uncaptured: boolean;
}

export async function inspectLocalDatabase(ctx: EngineContext, database: string, state: DatabaseState | undefined): Promise<LocalDatabase> {
  const path = localDatabasePath(ctx.ws, database);
  const info = await stat(path).catch(() => undefined);
  if (!info) return { path, exists: false, pendingWal: false, uncaptured: false };
  const sha1 = await sha1File(path, ctx.signal);
  const wal = await stat(`${path}-wal`).catch(() => undefined);
  const pendingWal = (wal?.size ?? 0) > 0;
  return { path, exists: true, sha1, pendingWal, uncaptured: pendingWal || state === undefined || sha1 !== state.localSha1 };
}

/** Copies the local database (consistently, even in WAL mode) to `.b2m/backups/`; returns the copy's path. */
export async function backupLocalDatabase(ctx: EngineContext, database: string, python: string): Promise<string> {
  const source = localDatabasePath(ctx.ws, database);
  const folder = backupsDir(ctx.ws);
  await mkdir(folder, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = join(folder, `${basename(database)}.${stamp}.db`);
  await consistentSnapshot(source, target, { python, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  return target;
}

/**
 * Puts `source` in place of the local database: refuses while another process has it open,
 * backs up what it replaces unless that content is a remote version already (`keepBackup` false), drops the old file's -wal/-shm (they would corrupt the new one),
 * and swaps atomically so a crash leaves either the old or the new file.
 */
export async function installLocalDatabase(
  ctx: EngineContext,
  database: string,
  source: string,
  options: { keepBackup: boolean },
): Promise<{ backup?: string }> {
  const target = localDatabasePath(ctx.ws, database);
  const holders = await findProcessesHoldingOpen(target);
  if (holders.length > 0) {
    const who = holders.map((h) => `${h.command} (pid ${h.pid})`).join(', ');
    throw new BadInputError(`${database} is open in ${who}, so b2m will not replace it under them.`, 'Close those programs and try again.');
  }
  const existed = await stat(target).then(
    () => true,
    () => false,
  );
  const backup = existed && options.keepBackup ? await backupLocalDatabase(ctx, database, ctx.ws.config.python) : undefined;
  const tmp = `${target}.b2m-${process.pid}.tmp`;
  try {
    await copyFile(source, tmp);
    for (const sidecar of await sidecarFiles(target)) await rm(sidecar, { force: true });
    await replaceFileDurably(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  if (backup) ctx.onWarning?.(`The previous ${database} is kept at ${backup}.`);
  return backup ? { backup } : {};
}
