import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Workspace } from '../config';
import { b2mDir } from '../paths';
import { writeFileAtomically } from './atomic-write';

/**
 * Hashes of local files remembered by their identity on disk (device, inode, size, modification
 * and change times in nanoseconds), so that a status poll does not read a whole database again.
 * A file modified in the last seconds is never remembered: file times advance in coarse steps, so a
 * write in the same step as the hashing would go unseen (git's "racily clean" entries).
 */
export interface FileIdentity {
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
}

interface Entry extends FileIdentity {
  values: Record<string, string>;
}

const RACY_MS = 2000;

export async function fileIdentity(path: string): Promise<FileIdentity & { mtimeMs: number }> {
  const s = await stat(path, { bigint: true });
  return { dev: String(s.dev), ino: String(s.ino), size: String(s.size), mtimeNs: String(s.mtimeNs), ctimeNs: String(s.ctimeNs), mtimeMs: Number(s.mtimeMs) };
}

/**
 * `compute(path)` for the file as it is now, remembered under `kind` ('sha1', 'fingerprint')
 * while the file keeps its identity.
 */
export async function cachedFileValue(ws: Workspace, path: string, kind: string, compute: () => Promise<string>): Promise<string> {
  const before = await fileIdentity(path);
  const entries = await readEntries(ws);
  const known = entries[path];
  if (known && sameIdentity(known, before) && known.values[kind] !== undefined) return known.values[kind];
  const value = await compute();
  const after = await fileIdentity(path);
  if (sameIdentity(before, after) && Date.now() - after.mtimeMs > RACY_MS) {
    const fresh = await readEntries(ws);
    const entry = fresh[path] && sameIdentity(fresh[path], after) ? fresh[path] : { ...identityOnly(after), values: {} };
    entry.values[kind] = value;
    fresh[path] = entry;
    await writeEntries(ws, fresh);
  }
  return value;
}

/** Remembers a value b2m knows for a file it just wrote (the SHA-1 of what it installed), unless the file is too fresh to trust. */
export async function rememberFileValue(ws: Workspace, path: string, kind: string, value: string): Promise<void> {
  const now = await fileIdentity(path);
  if (Date.now() - now.mtimeMs <= RACY_MS) return;
  const entries = await readEntries(ws);
  const entry = entries[path] && sameIdentity(entries[path], now) ? entries[path] : { ...identityOnly(now), values: {} };
  entry.values[kind] = value;
  entries[path] = entry;
  await writeEntries(ws, entries);
}

/** How old a file's modification time must be for its hash to be remembered. */
export const TRUSTED_AGE_MS = RACY_MS;

function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

function identityOnly(i: FileIdentity): FileIdentity {
  return { dev: i.dev, ino: i.ino, size: i.size, mtimeNs: i.mtimeNs, ctimeNs: i.ctimeNs };
}

function cachePath(ws: Workspace): string {
  return join(b2mDir(ws), 'cache', 'file-hashes.json');
}

async function readEntries(ws: Workspace): Promise<Record<string, Entry>> {
  try {
    const parsed = JSON.parse(await readFile(cachePath(ws), 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, Entry>) : {};
  } catch {
    return {}; // missing or damaged: a cache, rebuilt as files are hashed
  }
}

/** A cache that cannot be written is only slower next time. */
async function writeEntries(ws: Workspace, entries: Record<string, Entry>): Promise<void> {
  await writeFileAtomically(cachePath(ws), JSON.stringify(entries)).catch(() => undefined);
}
