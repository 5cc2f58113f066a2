import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { BadInputError } from './errors';
import type { VerifyMode } from './sqlite/verify';

export const CONFIG_FILE_NAME = 'b2m.json';

/** What `b2m.json` holds (committed to the team's repository; never credentials). */
export interface B2mConfig {
  bucket: string;
  /** Name prefix inside the bucket, '' or ending with '/'. */
  prefix: string;
  /** Database file names, e.g. ["app.db"]; the first is the default for scripts directly in `scripts/`. */
  databases: string[];
  /** Folder holding the local database files, relative to the config's folder. */
  localDir: string;
  /** Folder holding migration scripts, relative to the config's folder. */
  migrationsDir: string;
  python: string;
  /** Per-migration time limit. */
  migrationTimeoutSeconds: number;
  lock: { leaseSeconds: number; settleSeconds: number; maxUploadSeconds: number };
  /** Local B2-compatible server (demo/tests); B2M_ENDPOINT overrides. */
  endpoint?: string;
  /** Optional Python script run on a candidate database before upload; non-zero exit rejects it. */
  checkScript?: string;
  /** SQLite's check of a candidate before upload: 'full' (`integrity_check`, when absent) or 'quick' (`quick_check`). */
  verify?: VerifyMode;
  /** Optional Discord/Slack-compatible webhook told of published versions and failed syncs. */
  webhookUrl?: string;
}

/** A loaded configuration with the folder it applies to. */
export interface Workspace {
  root: string;
  config: B2mConfig;
}

export const DEFAULT_CONFIG: Omit<B2mConfig, 'bucket' | 'databases'> = {
  prefix: '',
  localDir: '.',
  migrationsDir: 'scripts',
  python: 'python3',
  migrationTimeoutSeconds: 600,
  lock: { leaseSeconds: 120, settleSeconds: 3, maxUploadSeconds: 2 },
};

const DATABASE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const BUCKET_NAME = /^[A-Za-z0-9-]{6,63}$/;

/** Finds the nearest folder at or above `start` holding a b2m.json. */
export function findWorkspaceRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE_NAME))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export async function loadWorkspace(start: string): Promise<Workspace> {
  const root = findWorkspaceRoot(start);
  if (!root) {
    throw new BadInputError(
      `No ${CONFIG_FILE_NAME} found in ${resolve(start)} or any folder above it.`,
      'Run "b2m init --bucket NAME --database FILE" in your repository first.',
    );
  }
  const file = join(root, CONFIG_FILE_NAME);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new BadInputError(`${file} is not valid JSON: ${(e as Error).message}`, 'Fix the file or recreate it with "b2m init".');
  }
  return { root, config: parseConfig(raw, file) };
}

/** Validates a parsed b2m.json and fills defaults; errors name the field and the file. */
export function parseConfig(raw: unknown, source = CONFIG_FILE_NAME): B2mConfig {
  const fail = (field: string, why: string): never => {
    throw new BadInputError(`${source}: "${field}" ${why}.`, `Edit ${source} and fix "${field}".`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('(root)', 'must be a JSON object');
  const o = raw as Record<string, unknown>;
  const str = (key: string, fallback?: string): string => {
    const v = o[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string') return fail(key, 'must be a string');
    return v;
  };
  const num = (obj: Record<string, unknown>, key: string, fallback: number, label = key): number => {
    const v = obj[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return fail(label, 'must be a positive number');
    return v;
  };

  const bucket = str('bucket');
  if (!BUCKET_NAME.test(bucket)) fail('bucket', 'must be 6 to 63 letters, digits or dashes (a B2 bucket name)');
  const prefix = normalisePrefix(str('prefix', DEFAULT_CONFIG.prefix), source);
  if (!Array.isArray(o.databases) || o.databases.length === 0) fail('databases', 'must list at least one database file, e.g. ["app.db"]');
  const databases = (o.databases as unknown[]).map((d, i) => {
    if (typeof d !== 'string' || !DATABASE_NAME.test(d) || d.includes('..')) {
      return fail(`databases[${i}]`, 'must be a plain file name like "app.db" (letters, digits, ".", "_", "-"; no folders)');
    }
    return d;
  });
  if (new Set(databases.map(databaseKey)).size !== databases.length) fail('databases', 'lists the same database twice');
  const lockRaw = (o.lock ?? {}) as Record<string, unknown>;
  if (typeof lockRaw !== 'object' || Array.isArray(lockRaw)) fail('lock', 'must be an object');
  const lock = {
    leaseSeconds: num(lockRaw, 'leaseSeconds', DEFAULT_CONFIG.lock.leaseSeconds, 'lock.leaseSeconds'),
    settleSeconds: num(lockRaw, 'settleSeconds', DEFAULT_CONFIG.lock.settleSeconds, 'lock.settleSeconds'),
    maxUploadSeconds: num(lockRaw, 'maxUploadSeconds', DEFAULT_CONFIG.lock.maxUploadSeconds, 'lock.maxUploadSeconds'),
  };
  if (lock.settleSeconds <= lock.maxUploadSeconds) fail('lock.settleSeconds', 'must be longer than lock.maxUploadSeconds');
  if (lock.leaseSeconds < 3 * lock.settleSeconds) fail('lock.leaseSeconds', 'must be at least 3 times lock.settleSeconds');
  const config: B2mConfig = {
    bucket,
    prefix,
    databases,
    localDir: str('localDir', DEFAULT_CONFIG.localDir),
    migrationsDir: str('migrationsDir', DEFAULT_CONFIG.migrationsDir),
    python: str('python', DEFAULT_CONFIG.python),
    migrationTimeoutSeconds: num(o, 'migrationTimeoutSeconds', DEFAULT_CONFIG.migrationTimeoutSeconds),
    lock,
  };
  for (const key of ['endpoint', 'checkScript', 'webhookUrl'] as const) {
    if (o[key] !== undefined) config[key] = str(key);
  }
  if (o.verify !== undefined) {
    if (o.verify !== 'full' && o.verify !== 'quick') {
      fail('verify', 'must be "full" (PRAGMA integrity_check, the default) or "quick" (PRAGMA quick_check: faster, but does not check indexes against their tables)');
    }
    config.verify = o.verify as VerifyMode;
  }
  for (const key of ['endpoint', 'webhookUrl'] as const) {
    const v = config[key];
    if (v !== undefined && !/^https?:\/\/[^\s]+$/.test(v)) fail(key, 'must be an http(s) URL');
  }
  return config;
}

function normalisePrefix(prefix: string, source: string): string {
  if (prefix === '') return '';
  if (prefix.startsWith('/') || prefix.split('/').some((part) => part === '..' || part === '.')) {
    throw new BadInputError(`${source}: "prefix" must be a relative name prefix without "." or ".." parts.`);
  }
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** "app.db" → "app": the name used for the scripts folder and lock folder. */
export function databaseKey(database: string): string {
  return basename(database).replace(/\.(db|sqlite3?|s3db)$/i, '');
}

export function defaultDatabase(config: B2mConfig): string {
  return config.databases[0]!;
}

/** Resolves the configured database a user named (by file name or key). */
export function resolveDatabase(config: B2mConfig, name: string | undefined): string {
  if (name === undefined) {
    if (config.databases.length === 1) return config.databases[0]!;
    throw new BadInputError(`Name a database: this workspace has ${config.databases.join(', ')}.`);
  }
  const found = config.databases.find((d) => d === name || databaseKey(d) === name);
  if (!found) throw new BadInputError(`Unknown database "${name}".`, `Configured databases: ${config.databases.join(', ')}. Add it to ${CONFIG_FILE_NAME} first.`);
  return found;
}

export async function writeConfig(root: string, config: B2mConfig): Promise<string> {
  const file = join(root, CONFIG_FILE_NAME);
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EEXIST') throw new BadInputError(`${file} already exists.`, 'Edit it instead of running init again.');
    throw e;
  });
  return file;
}
