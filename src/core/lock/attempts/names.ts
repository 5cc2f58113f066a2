import { randomBytes } from 'node:crypto';
import { databaseKey } from '../../config';
import { BadInputError } from '../../errors';

/**
 * Remote names of lock attempts: `<prefix>.b2m/locks/<key>/<attemptId>.json` for the attempt and
 * `<attemptId>.heartbeat` for its lease renewals. The attempt id is random; who holds a lock is
 * read from the attempt's file info and body, never from a name.
 */
export type LockFileKind = 'attempt' | 'heartbeat';

const EXTENSIONS: Record<LockFileKind, string> = { attempt: '.json', heartbeat: '.heartbeat' };
const LOCK_FILE = /^([0-9a-f]{16})\.(json|heartbeat)$/;

/** The folder holding every lock attempt of one database. */
export function lockFolder(prefix: string, database: string): string {
  const key = databaseKey(database);
  if (key === '' || key.includes('/')) throw new BadInputError(`"${database}" is not a database file name.`);
  return `${prefix}.b2m/locks/${key}/`;
}

export function newAttemptId(): string {
  return randomBytes(8).toString('hex');
}

export function lockFileName(folder: string, attemptId: string, kind: LockFileKind): string {
  return `${folder}${attemptId}${EXTENSIONS[kind]}`;
}

/** The prefix matching every file of one attempt and nothing of any other. */
export function attemptFilesPrefix(folder: string, attemptId: string): string {
  return `${folder}${attemptId}.`;
}

/** Which attempt a name in the lock folder belongs to; undefined for names b2m never writes. */
export function parseLockFileName(folder: string, name: string): { attemptId: string; kind: LockFileKind } | undefined {
  if (!name.startsWith(folder)) return undefined;
  const match = LOCK_FILE.exec(name.slice(folder.length));
  if (!match) return undefined;
  return { attemptId: match[1] as string, kind: match[2] === 'json' ? 'attempt' : 'heartbeat' };
}

export function isAttemptId(value: string): boolean {
  return /^[0-9a-f]{16}$/.test(value);
}
