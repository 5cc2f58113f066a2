import { constants } from 'node:fs';
import { copyFile, mkdir, rm, stat, utimes } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EngineContext } from '../../context';
import { BadInputError } from '../../errors';
import { sha1File } from '../../hash';
import { backupsDir, localDatabasePath, snapshotPath } from '../../paths';
import { contentFingerprint } from '../../sqlite/fingerprint';
import { cachedFileValue, fileIdentity, rememberFileValue, TRUSTED_AGE_MS } from '../../state/file-hash-cache';
import { exists } from './snapshots';
import { workFileName, workFolder } from './work-files';
import { consistentSnapshot } from '../../sqlite/snapshot';
import { replaceFileDurably } from '../../sqlite/database-files';
import { findProcessesHoldingOpen } from '../../sqlite/holders';
import { sidecarFiles } from '../../sqlite/sidecars';
import type { DatabaseState } from '../../state/local-state';

/** What is on disk for one database, compared with what b2m last wrote there. */
export interface LocalDatabase {
  path: string;
  exists: boolean;
  sha1?: string;
  /** Write-ahead log with content (edits that are not in the main file yet). */
  pendingWal: boolean;
  /** True when the file is not byte-for-byte what b2m last wrote (or b2m never wrote it). */
  uncaptured: boolean;
  /** The file's identity on disk (and its log's size) when inspected: a change since shows without reading it. */
  identity?: string;
}

export async function inspectLocalDatabase(ctx: EngineContext, database: string, state: DatabaseState | undefined): Promise<LocalDatabase> {
  const path = localDatabasePath(ctx.ws, database);
  const info = await stat(path).catch(() => undefined);
  if (!info) return { path, exists: false, pendingWal: false, uncaptured: false };
  const before = await onDiskIdentity(path);
  const sha1 = await cachedFileValue(ctx.ws, path, 'sha1', () => sha1File(path, ctx.signal));
  const wal = await stat(`${path}-wal`).catch(() => undefined);
  const pendingWal = (wal?.size ?? 0) > 0;
  const unchanged = state !== undefined && ((!pendingWal && sha1 === state.localSha1) || (await sameContentInOtherBookkeeping(ctx, path, pendingWal, state)));
  return { path, exists: true, sha1, pendingWal, uncaptured: !unchanged, identity: before };
}

/** Device, inode, size and times of the file, and the size of its -wal: what any write changes. */
export async function onDiskIdentity(path: string): Promise<string | undefined> {
  const file = await fileIdentity(path).catch(() => undefined);
  if (!file) return undefined;
  const wal = await stat(`${path}-wal`).catch(() => undefined);
  return `${file.dev}:${file.ino}:${file.size}:${file.mtimeNs}:${file.ctimeNs}:${wal?.size ?? 0}`;
}

/** A file whose bytes differ from what b2m recorded may still hold the same content: a WAL mode file, or one checkpointed since a capture. */
async function sameContentInOtherBookkeeping(ctx: EngineContext, path: string, pendingWal: boolean, state: DatabaseState): Promise<boolean> {
  const recordedSnapshot = snapshotPath(ctx.ws, state.localSha1);
  const recorded = state.localFingerprint ?? ((await exists(recordedSnapshot)) ? await cachedFileValue(ctx.ws, recordedSnapshot, 'fingerprint', () => contentFingerprint(recordedSnapshot, ctx.signal)) : undefined);
  if (recorded === undefined) return false;
  return (await localFingerprint(ctx, path, pendingWal)) === recorded;
}

/** The fingerprint of what SQLite sees in the local file: through a consistent snapshot when its WAL holds changes. */
export async function localFingerprint(ctx: EngineContext, path: string, pendingWal: boolean): Promise<string> {
  if (!pendingWal) return cachedFileValue(ctx.ws, path, 'fingerprint', () => contentFingerprint(path, ctx.signal));
  const copy = join(await workFolder(ctx.ws), workFileName(basename(path), 'capture'));
  try {
    await consistentSnapshot(path, copy, { python: ctx.ws.config.python, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    return await contentFingerprint(copy, ctx.signal);
  } finally {
    await rm(copy, { force: true });
  }
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

/** No -wal, -shm or -journal beside the file and no process holding it open: its bytes are the whole database, and stay so. */
export async function isQuiescent(path: string): Promise<boolean> {
  return (await sidecarFiles(path)).length === 0 && (await findProcessesHoldingOpen(path)).length === 0;
}

/** Refuses while another process has the local database open: replacing it under them would lose or corrupt data. */
export async function assertReplaceable(ctx: EngineContext, database: string): Promise<void> {
  const target = localDatabasePath(ctx.ws, database);
  const holders = await findProcessesHoldingOpen(target);
  if (holders.length > 0) {
    const who = holders.map((h) => `${h.command} (pid ${h.pid})`).join(', ');
    throw new BadInputError(`${database} is open in ${who}, so b2m will not replace it under them.`, 'Close those programs and try again.');
  }
}

/**
 * Puts `source` in place of the local database: refuses while another process has it open,
 * backs up what it replaces unless that content is a remote version already (`keepBackup` false;
 * the caller's outcome carries the backup's path, for the front end to tell once),
 * drops the old file's -wal/-shm (they would corrupt the new one), and swaps atomically so a crash
 * leaves either the old or the new file. The copy is a copy-on-write clone where the file system
 * offers one.
 */
export async function installLocalDatabase(
  ctx: EngineContext,
  database: string,
  source: string,
  options: { keepBackup: boolean; sha1?: string },
): Promise<{ backup?: string }> {
  const target = localDatabasePath(ctx.ws, database);
  await assertReplaceable(ctx, database);
  const existed = await stat(target).then(
    () => true,
    () => false,
  );
  const backup = existed && options.keepBackup ? await backupLocalDatabase(ctx, database, ctx.ws.config.python) : undefined;
  const tmp = `${target}.b2m-${process.pid}.tmp`;
  try {
    await copyFile(source, tmp, constants.COPYFILE_FICLONE);
    if (options.sha1) await datePast(tmp);
    for (const sidecar of await sidecarFiles(target)) await rm(sidecar, { force: true });
    await replaceFileDurably(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  if (options.sha1) await rememberFileValue(ctx.ws, target, 'sha1', options.sha1);
  return backup ? { backup } : {};
}

/**
 * Remembers the SHA-1 of a local database b2m just wrote. Dated in the past, its content (known)
 * can be remembered at once: any later write moves the modification time to now, so the file is
 * hashed again when, and only when, it changed.
 */
export async function rememberWritten(ctx: EngineContext, path: string, sha1: string): Promise<void> {
  await datePast(path);
  await rememberFileValue(ctx.ws, path, 'sha1', sha1);
}

async function datePast(path: string): Promise<void> {
  const past = new Date(Date.now() - 2 * TRUSTED_AGE_MS);
  await utimes(path, past, past);
}
