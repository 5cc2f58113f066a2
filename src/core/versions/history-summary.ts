import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { databaseKey } from '../config';
import type { EngineContext } from '../context';
import { loadManifest } from '../delta/manifests';
import { b2mDir, remoteDatabaseName } from '../paths';
import { writeFileAtomically } from '../state/atomic-write';
import { forkOf, readChain, type Fork, type HistoryChain, type NumberedVersion } from './chain';
import { listDatabaseVersions } from './history';
import type { DatabaseVersion } from './version-info';

/** A version as a person reads it. */
export interface VersionRef {
  id: string;
  number: number;
  author?: string;
  uploadTimestamp: number;
}

/** A version the head's chain does not contain (two versions were built on one parent). */
export interface OvertakenVersion {
  version: VersionRef;
  /** The version on the chain that overtook it. */
  by?: VersionRef;
  /** The version both were built on. */
  forkPoint?: VersionRef;
  /** Migrations it carried that the head lacks (ids with phrase, e.g. "20261201…_add_email"), when its manifest tells. */
  migrationsLost: string[];
}

/** What the history tells about the head, your base and forks: read when the head or your base changes, else from cache. */
export interface HistorySummary {
  headId: string;
  baseId?: string;
  head: VersionRef;
  base?: VersionRef;
  /** Your base is not on the head's chain: its migrations the head lacks are pending again. */
  baseOvertaken?: OvertakenVersion;
  /** Overtaken versions in the history, newest first (at most 10). */
  forks: OvertakenVersion[];
  versionCount: number;
}

const MAX_FORKS = 10;

/**
 * The history summary of a database whose head is `head`. Listing a whole history costs calls in
 * proportion to its length, so it is read only when the head (or your base) changed since the
 * last time, and remembered in `.b2m/cache/history/`.
 */
export async function summarizeHistory(ctx: EngineContext, database: string, head: DatabaseVersion, baseId: string | undefined): Promise<HistorySummary> {
  const file = join(b2mDir(ctx.ws), 'cache', 'history', `${databaseKey(database)}.json`);
  const cached = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as HistorySummary)
    .catch(() => undefined);
  if (cached && cached.headId === head.id && cached.baseId === baseId) return cached;
  const history = readChain(await listDatabaseVersions(await ctx.store(), remoteDatabaseName(ctx.ws, database), ctx.signal ? { signal: ctx.signal } : {}));
  const summary = await summarize(ctx, database, history, baseId);
  await writeFileAtomically(file, JSON.stringify(summary)).catch(() => undefined); // a cache: only slower without it
  return summary;
}

/** The summary of an already read history. */
export async function summarize(ctx: EngineContext, database: string, history: HistoryChain, baseId: string | undefined): Promise<HistorySummary> {
  const head = history.head;
  if (!head) throw new Error(`summarize: ${database} has no versions`);
  const base = baseId ? history.versions.find((v) => v.id === baseId) : undefined;
  const headMigrations = await migrationIdsOf(ctx, database, head);
  const describe = async (fork: Fork): Promise<OvertakenVersion> => {
    const carried = await migrationIdsOf(ctx, database, fork.overtaken);
    return {
      version: ref(fork.overtaken),
      ...(fork.overtakenBy ? { by: ref(fork.overtakenBy) } : {}),
      ...(fork.forkPoint ? { forkPoint: ref(fork.forkPoint) } : {}),
      migrationsLost: carried && headMigrations ? [...carried.entries()].filter(([id]) => !headMigrations.has(id)).map(([id, name]) => `${id}_${name}`) : [],
    };
  };
  const baseFork = baseId ? forkOf(history, baseId) : undefined;
  return {
    headId: head.id,
    ...(baseId ? { baseId } : {}),
    head: ref(head),
    ...(base ? { base: ref(base) } : {}),
    ...(baseFork ? { baseOvertaken: await describe(baseFork) } : {}),
    forks: await Promise.all(history.forks.slice(0, MAX_FORKS).map(describe)),
    versionCount: history.versions.length,
  };
}

function ref(v: NumberedVersion): VersionRef {
  return { id: v.id, number: v.number, ...(v.author ? { author: v.author } : {}), uploadTimestamp: v.uploadTimestamp };
}

async function migrationIdsOf(ctx: EngineContext, database: string, version: DatabaseVersion): Promise<Map<string, string> | undefined> {
  const manifest = await loadManifest(ctx, database, version).catch(() => undefined);
  return manifest ? new Map(manifest.migrations.map((m) => [m.id, m.name])) : undefined;
}
