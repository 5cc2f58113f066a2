import { BadInputError } from '../errors';

/** A clock in nanoseconds since the Unix epoch (UTC). */
export type NanoClock = () => bigint;

/**
 * Wall-clock milliseconds plus the sub-millisecond digits of the monotonic clock, so ids created
 * on two machines (or by two processes) in the same millisecond are very unlikely to be equal.
 */
export const systemClock: NanoClock = () => BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);

export const MIGRATION_NAME_PATTERN = 'YYYYMMDDHHMMSS + 9 digits of nanoseconds, "_", a phrase of a-z 0-9 _, ".py"';
export const MIGRATION_NAME_EXAMPLE = '20250102030405123456789_add_users.py';
const MAX_PHRASE_LENGTH = 100;
const NS_PER_SECOND = 1_000_000_000n;

/** A `.py` file in a migrations folder whose name does not follow the pattern. */
export class MalformedMigrationNameError extends BadInputError {
  constructor(
    readonly fileName: string,
    reason: string,
  ) {
    super(
      `"${fileName}" is not a valid migration file name: ${reason}. Expected ${MIGRATION_NAME_PATTERN}, e.g. ${MIGRATION_NAME_EXAMPLE}.`,
      'Rename the file (keep its timestamp if it has one), or move it out of the migrations folder; helper modules may start with "_".',
    );
    this.name = 'MalformedMigrationNameError';
  }
}

const lastIssued = new WeakMap<NanoClock, bigint>();

/**
 * A new 23-digit migration id (UTC `YYYYMMDDHHMMSS` + 9 digits of nanoseconds) from `clock`.
 * Ids from the same clock are strictly increasing within a process, even in a tight loop.
 */
export function newMigrationId(clock: NanoClock = systemClock): string {
  const previous = lastIssued.get(clock);
  let nanos = clock();
  if (previous !== undefined && nanos <= previous) nanos = previous + 1n;
  lastIssued.set(clock, nanos);
  return formatMigrationId(nanos);
}

/** The id one nanosecond after `id`. */
export function nextMigrationId(id: string): string {
  return formatMigrationId(migrationIdToNanos(id) + 1n);
}

/**
 * A phrase for a file name: lower case, accents dropped, spaces and dashes become `_`, anything
 * else outside `[a-z0-9_]` is removed, runs of `_` collapse.
 */
export function normalisePhrase(text: string): string {
  const phrase = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
    .replace(/[^a-z0-9_]/g, '')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  if (phrase === '') {
    throw new BadInputError(
      `"${text}" cannot name a migration: nothing is left of it once reduced to the allowed characters.`,
      'Describe the change with letters a-z, digits 0-9, spaces, dashes or underscores, e.g. "add users table".',
    );
  }
  if (phrase.length > MAX_PHRASE_LENGTH) {
    throw new BadInputError(
      `The migration name "${phrase}" is ${phrase.length} characters long; at most ${MAX_PHRASE_LENGTH} are allowed.`,
      'Use a shorter description; the script itself can explain the details.',
    );
  }
  return phrase;
}

export function migrationFileName(id: string, phrase: string): string {
  return `${id}_${phrase}.py`;
}

/** Splits a migration file name into id and phrase, or throws a MalformedMigrationNameError. */
export function parseMigrationFileName(fileName: string): { id: string; phrase: string } {
  if (!fileName.endsWith('.py')) throw new MalformedMigrationNameError(fileName, 'it does not end in ".py"');
  const match = /^(\d+)_(.*)\.py$/.exec(fileName);
  if (!match) throw new MalformedMigrationNameError(fileName, 'it does not start with a numeric id followed by "_"');
  const [, id = '', phrase = ''] = match;
  if (id.length !== 23) throw new MalformedMigrationNameError(fileName, `its id has ${id.length} digits instead of 23`);
  if (formatMigrationId(migrationIdToNanos(id)) !== id) {
    throw new MalformedMigrationNameError(fileName, `its id ${id} is not a valid UTC date and time`);
  }
  if (!/^[a-z0-9_]+$/.test(phrase)) {
    throw new MalformedMigrationNameError(fileName, `its phrase "${phrase}" may only contain a-z, 0-9 and _`);
  }
  return { id, phrase };
}

function formatMigrationId(nanos: bigint): string {
  const date = new Date(Number(nanos / NS_PER_SECOND) * 1000);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return (
    pad(date.getUTCFullYear(), 4) +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds()) +
    String(nanos % NS_PER_SECOND).padStart(9, '0')
  );
}

/** When a migration was written (ms since the epoch, to the second), or undefined if `id` is not a valid 23-digit id. */
export function migrationIdTime(id: string): number | undefined {
  if (!/^\d{23}$/.test(id)) return undefined;
  const nanos = migrationIdToNanos(id);
  return formatMigrationId(nanos) === id ? Number(nanos / NS_PER_SECOND) * 1000 : undefined;
}

/** Nanoseconds since the epoch of a 23-digit id; out-of-range fields roll over (callers compare). */
function migrationIdToNanos(id: string): bigint {
  const field = (start: number, end: number): number => Number(id.slice(start, end));
  const seconds = Date.UTC(field(0, 4), field(4, 6) - 1, field(6, 8), field(8, 10), field(10, 12), field(12, 14)) / 1000;
  return BigInt(seconds) * NS_PER_SECOND + BigInt(id.slice(14));
}

/** Sort order of migrations: by id (fixed-width digits, so string order is time order). */
export function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
