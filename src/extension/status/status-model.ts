import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Workspace } from '../../core/config';
import { scriptsOf } from '../../core/migrations/database-scripts';
import { discoverMigrations, type Migration } from '../../core/migrations/discover';
import { migrationIdTime } from '../../core/migrations/naming';
import { localDatabasePath, remoteDatabaseName } from '../../core/paths';
import { listDatabaseVersions } from '../../core/versions/history';
import { versionLabel, versionNumberOf } from '../../core/versions/numbering';
import { workspaceStatus, type DatabaseStatus } from '../../core/versions/status';
import type { DatabaseVersion } from '../../core/versions/version-info';
import { Disposable } from '../lifecycle';
import type { Logger } from '../logger';
import { timeWithZone } from '../time-format';
import type { WorkspaceSession } from '../workspace-session';

/** What Restricted Mode shows of a database: read from disk, without running anything or contacting the bucket. */
export interface LocalFacts {
  file?: { size: number; modifiedMs: number };
  /** Migration scripts in its folder (which of them are pending is not known without running Python). */
  scripts: number;
}

export interface DatabaseEntry {
  database: string;
  status?: DatabaseStatus;
  /** Why the status could not be read (the last one read is kept in `status`). */
  error?: unknown;
  /** What this window is doing to the database right now, e.g. "Syncing". */
  activity?: string;
  /** Set in Restricted Mode (untrusted workspace), where there is no status. */
  restricted?: LocalFacts;
}

/**
 * The latest known status of every configured database, read through the engine, shared by the
 * trees and the status bar. Refreshes are coalesced: asking during one runs one more afterwards.
 * In Restricted Mode it only reads the local files.
 */
export class StatusModel extends Disposable {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changeEmitter.event;
  private entriesByName = new Map<string, DatabaseEntry>();
  private readonly activities = new Map<string, string>();
  private readonly versionCache = new Map<string, { headId: string | undefined; versions: Promise<DatabaseVersion[]> }>();
  private running?: Promise<boolean>;
  private queued?: Promise<boolean>;
  private lastRefresh?: Date;
  private scripts = new Map<string, Migration[]>();
  /** The last complete listing of each database's versions (the Databases view numbers the versions it names with it). */
  private readonly listed = new Map<string, DatabaseVersion[]>();

  constructor(
    private readonly session: WorkspaceSession,
    private readonly log: Logger,
  ) {
    super();
    this.register(session.onDidChange(() => void this.refresh()));
  }

  get databases(): string[] {
    return this.session.workspace?.config.databases ?? [];
  }

  entries(): DatabaseEntry[] {
    return this.databases.map((database) => this.entry(database));
  }

  entry(database: string): DatabaseEntry {
    const activity = this.activities.get(database);
    return { ...(this.entriesByName.get(database) ?? { database }), ...(activity ? { activity } : {}) };
  }

  /** Read, and no database exists in the bucket or locally yet. */
  get isEmpty(): boolean {
    const entries = this.entries();
    return entries.length > 0 && entries.every((entry) => entry.status?.sync === 'missing');
  }

  get refreshedAt(): Date | undefined {
    return this.lastRefresh;
  }

  setActivity(database: string, activity: string | undefined): void {
    if (activity) this.activities.set(database, activity);
    else this.activities.delete(database);
    this.changeEmitter.fire();
  }

  /** Reads every database's status; resolves to false if any could not be read. */
  refresh(): Promise<boolean> {
    if (!this.running) {
      this.running = this.readAll().finally(() => (this.running = undefined));
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.refresh();
    });
    return this.queued;
  }

  /** The migration scripts of a database found at the last refresh, in id order. */
  scriptsOf(database: string): Migration[] {
    return this.scripts.get(database) ?? [];
  }

  /** The phrase of a migration id ("add_users"), from the scripts here; else the id's time, or the id itself if malformed. */
  migrationName(database: string, id: string): string {
    const phrase = this.scripts.get(database)?.find((m) => m.id === id)?.phrase;
    if (phrase !== undefined) return phrase;
    const written = migrationIdTime(id);
    return written === undefined ? `migration ${id}` : `migration of ${timeWithZone(written)}`;
  }

  /** "v7" for a version in the last listing of its database's versions, else undefined. */
  versionNumber(database: string, id: string): string | undefined {
    const listed = this.listed.get(database);
    const number = listed ? versionNumberOf(listed, id) : undefined;
    return number === undefined ? undefined : versionLabel(number);
  }

  /** Remote versions of a database, newest first; listed again only when its head changes. */
  versions(database: string): Promise<DatabaseVersion[]> {
    return this.versionsUpTo(database, this.entriesByName.get(database)?.status?.head?.id);
  }

  /** The versions as listed when `headId` was the head (listed now unless that listing is at hand). */
  private versionsUpTo(database: string, headId: string | undefined): Promise<DatabaseVersion[]> {
    const cached = this.versionCache.get(database);
    if (cached && cached.headId === headId) return cached.versions;
    const versions = (async () => {
      const ctx = this.session.engineContext();
      const listed = await listDatabaseVersions(await ctx.store(), remoteDatabaseName(ctx.ws, database));
      this.listed.set(database, listed);
      return listed;
    })();
    versions.catch(() => this.versionCache.delete(database));
    this.versionCache.set(database, { headId, versions });
    return versions;
  }

  private async readAll(): Promise<boolean> {
    const state = this.session.state;
    if (state.kind !== 'ready') {
      this.versionCache.clear();
      this.listed.clear();
      this.entriesByName = state.kind === 'restricted' ? await readLocalFacts(state.ws) : new Map();
      this.changeEmitter.fire();
      return true;
    }
    const ctx = this.session.engineContext();
    this.scripts = await discoverAll(ctx.ws);
    const results = await workspaceStatus(ctx, ctx.ws.config.databases).then(
      (entries) => entries.map((entry): DatabaseEntry => (entry.status ? { database: entry.database, status: entry.status } : this.failed(entry.database, entry.error))),
      (error: unknown) => ctx.ws.config.databases.map((database) => this.failed(database, error)),
    );
    this.entriesByName = new Map(results.map((entry) => [entry.database, entry]));
    this.lastRefresh = new Date();
    this.changeEmitter.fire();
    return results.every((entry) => entry.error === undefined);
  }

  private failed(database: string, error: unknown): DatabaseEntry {
    this.log.warn(`could not read the status of ${database}: ${error instanceof Error ? error.message : String(error)}`);
    const previous = this.entriesByName.get(database)?.status;
    return { database, error, ...(previous ? { status: previous } : {}) };
  }
}

async function readLocalFacts(ws: Workspace): Promise<Map<string, DatabaseEntry>> {
  const scripts = await discoverAll(ws);
  const entries = await Promise.all(
    ws.config.databases.map(async (database): Promise<DatabaseEntry> => {
      const info = await stat(localDatabasePath(ws, database)).catch(() => undefined);
      const file = info?.isFile() ? { size: info.size, modifiedMs: info.mtimeMs } : undefined;
      return { database, restricted: { ...(file ? { file } : {}), scripts: scripts.get(database)?.length ?? 0 } };
    }),
  );
  return new Map(entries.map((entry) => [entry.database, entry]));
}

/** Every database's scripts; a folder with malformed names shows none here (the status read reports it). */
async function discoverAll(ws: Workspace): Promise<Map<string, Migration[]>> {
  const byDatabase = new Map<string, Migration[]>();
  for (const database of ws.config.databases) {
    byDatabase.set(database, await discoverMigrations(scriptsOf(ws, database)).catch(() => []));
  }
  return byDatabase;
}
