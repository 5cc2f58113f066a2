import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomically } from './atomic-write';
import { withFileLock } from './file-lock';
import { join } from 'node:path';
import { BadInputError } from '../errors';
import { b2mDir } from '../paths';
import type { Workspace } from '../config';

/** What b2m remembers about one database in one working folder (`.b2m/state.json`). */
export interface DatabaseState {
  /** The remote version the local copy was built on. */
  baseVersionId: string;
  baseSha1: string;
  /** SHA-1 of the local content as b2m last wrote or captured it (a snapshot of it is kept under this name). */
  localSha1: string;
  /**
   * `contentFingerprint` of that content, when it was captured from a file in WAL mode: the file's
   * own bytes then differ from the snapshot in bookkeeping only, and the fingerprint tells so.
   */
  localFingerprint?: string;
  /** ISO time of the last successful download or sync. */
  updatedAt: string;
}

export interface LocalState {
  version: 1;
  databases: Record<string, DatabaseState>;
}

function statePath(ws: Workspace): string {
  return join(b2mDir(ws), 'state.json');
}

export async function readLocalState(ws: Workspace): Promise<LocalState> {
  let text: string;
  try {
    text = await readFile(statePath(ws), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, databases: {} };
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as LocalState;
    if (parsed.version !== 1 || typeof parsed.databases !== 'object') throw new Error('unknown layout');
    return parsed;
  } catch (e) {
    throw new BadInputError(
      `${statePath(ws)} is damaged (${(e as Error).message}).`,
      'Move it aside and run "b2m download" to record the base again; your database files are not affected.',
    );
  }
}

/** Updates one database's entry; written to a temp file and renamed so a crash never leaves half a file. */
export async function updateDatabaseState(ws: Workspace, database: string, entry: DatabaseState): Promise<void> {
  await mkdir(b2mDir(ws), { recursive: true });
  await withFileLock(statePath(ws), async () => {
    const state = await readLocalState(ws);
    state.databases[database] = entry;
    await writeFileAtomically(statePath(ws), `${JSON.stringify(state, null, 2)}\n`);
  });
}

/** Records that the local file now is exactly remote version `versionId` (content `sha1`). */
export function recordBase(ws: Workspace, database: string, versionId: string, sha1: string): Promise<void> {
  return updateDatabaseState(ws, database, { baseVersionId: versionId, baseSha1: sha1, localSha1: sha1, updatedAt: new Date().toISOString() });
}
