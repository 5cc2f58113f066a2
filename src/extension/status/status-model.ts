import * as vscode from 'vscode';
import { databaseKey, type Workspace } from '../../core/config';
import { discoverMigrations, type Migration } from '../../core/migrations/discover';
import { remoteDatabaseName, scriptsDir } from '../../core/paths';
import { listDatabaseVersions } from '../../core/versions/history';
import { workspaceStatus, type DatabaseStatus } from '../../core/versions/status';
import type { DatabaseVersion } from '../../core/versions/version-info';
import { Disposable } from '../lifecycle';
import { migrationIdTime } from '../migration-id-time';
import type { Logger } from '../logger';
import type { WorkspaceSession } from '../workspace-session';

export interface DatabaseEntry {
  database: string;
  status?: DatabaseStatus;
  /** Why the status could not be read (the last one read is kept in `status`). */
  error?: unknown;
  /** What this window is doing to the database right now, e.g. "Syncing". */
  activity?: string;
}

/**
 * The latest known status of every configured database, read through the engine, shared by the
 * trees and the status bar. Refreshes are coalesced: asking during one runs one more afterwards.
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

  /** The phrase of a migration id ("add_users"), from the scripts here; the id's time otherwise. */
  migrationName(database: string, id: string): string {
    return this.scripts.get(database)?.find((m) => m.id === id)?.phrase ?? `migration of ${migrationIdTime(id)}`;
  }

  /** Remote versions of a database, newest first; listed again only when its head changes. */
  versions(database: string): Promise<DatabaseVersion[]> {
    const headId = this.entriesByName.get(database)?.status?.head?.id;
    const cached = this.versionCache.get(database);
    if (cached && cached.headId === headId) return cached.versions;
    const versions = (async () => {
      const ctx = this.session.engineContext();
      return listDatabaseVersions(await ctx.store(), remoteDatabaseName(ctx.ws, database));
    })();
    versions.catch(() => this.versionCache.delete(database));
    this.versionCache.set(database, { headId, versions });
    return versions;
  }

  private async readAll(): Promise<boolean> {
    if (this.session.state.kind !== 'ready') {
      this.entriesByName = new Map();
      this.versionCache.clear();
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

/** Every database's scripts; a folder with malformed names shows none here (the status read reports it). */
async function discoverAll(ws: Workspace): Promise<Map<string, Migration[]>> {
  const byDatabase = new Map<string, Migration[]>();
  for (const [index, database] of ws.config.databases.entries()) {
    byDatabase.set(database, await discoverMigrations({ scriptsDir: scriptsDir(ws), db: databaseKey(database), isDefault: index === 0 }).catch(() => []));
  }
  return byDatabase;
}
