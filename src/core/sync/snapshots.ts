import { access, mkdir, readdir, rm, copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EngineContext } from '../context';
import { sha1File } from '../hash';
import { IntegrityError } from '../errors';
import { b2mDir, snapshotPath } from '../paths';
import type { DatabaseVersion } from '../versions/version-info';
import { replaceFileDurably } from '../sqlite/database-files';

/**
 * Read-only copies of database versions, named by SHA-1 under `.b2m/snapshots/`: the base of
 * every database (for diffs and capture) and a cache that spares re-downloading a version.
 */
export async function ensureSnapshot(ctx: EngineContext, version: DatabaseVersion): Promise<string> {
  if (!version.sha1) {
    throw new IntegrityError(`Version ${version.id} of ${version.name} has no SHA-1 on the server, so its download cannot be verified.`, 'Re-upload it with b2m (which always records the SHA-1).');
  }
  const path = snapshotPath(ctx.ws, version.sha1);
  if (await exists(path)) return path;
  await mkdir(dirname(path), { recursive: true });
  const store = await ctx.store();
  await store.downloadToFile(version, path, {
    expectedSha1: version.sha1,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onProgress: (done, total) => ctx.onProgress?.({ step: 'download', message: `Downloading ${version.name}`, done, total }),
  });
  return path;
}

/** Keeps a copy of a local file b2m produced, so later edits can be diffed against it. */
export async function rememberSnapshot(ctx: EngineContext, file: string, sha1?: string): Promise<string> {
  const hash = sha1 ?? (await sha1File(file, ctx.signal));
  const path = snapshotPath(ctx.ws, hash);
  if (await exists(path)) return path;
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await copyFile(file, tmp);
  if ((await sha1File(tmp, ctx.signal)) !== hash) {
    await rm(tmp, { force: true });
    throw new IntegrityError(`${file} changed while b2m was copying it.`, 'Close programs writing to it and try again.');
  }
  await replaceFileDurably(tmp, path);
  return path;
}

/** Deletes cached snapshots that no database's state refers to any more. */
export async function pruneSnapshots(ctx: EngineContext, keep: Iterable<string>): Promise<void> {
  const folder = join(b2mDir(ctx.ws), 'snapshots');
  const wanted = new Set([...keep].map((sha1) => `${sha1}.db`));
  const names = await readdir(folder).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => !wanted.has(n)).map((n) => rm(join(folder, n), { force: true })));
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
