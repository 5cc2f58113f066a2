// A developer of the benchmarks: a working folder, an identity, and the engine called in process
// on a store whose every call is recorded (see store-meter.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { databaseKey, parseConfig, type Workspace } from '../../src/core/config';
import type { EngineContext } from '../../src/core/context';
import { createMigration } from '../../src/core/migrations/create';
import { once, openWorkspaceStore } from '../../src/core/open-store';
import type { ProgressEvent } from '../../src/core/progress';
import { readLocalState } from '../../src/core/state/local-state';
import { pruneSnapshots } from '../../src/core/sync/local/snapshots';
import { meteredStore, type StoreCall } from './store-meter';
import type { ServerProcess } from './server-process';

export interface BenchDeveloper {
  name: string;
  ctx: EngineContext;
  /** Where the engine keeps this developer's copy of `database`. */
  dbPath: string;
  /** Every store call so far. */
  calls: StoreCall[];
  /** Every progress event so far, with its time (performance.now()). */
  events: Array<ProgressEvent & { at: number }>;
  /** Writes a migration that runs `sql` in one transaction; returns its path. */
  addMigration(phrase: string, sql: string): Promise<string>;
  /**
   * Deletes the cached snapshots no database's state refers to, as a sync does after publishing.
   * `download` leaves the previous version's snapshot behind (a full copy of the database per
   * download), so without this a benchmark's temporary folder grows by the database size per run.
   */
  pruneSnapshots(): Promise<void>;
}

export function benchDeveloper(root: string, name: string, server: ServerProcess, database: string): BenchDeveloper {
  const dir = join(root, name);
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  const ws: Workspace = { root: dir, config: parseConfig({ bucket: server.bucket, databases: [database], endpoint: server.endpoint }) };
  const calls: StoreCall[] = [];
  const events: BenchDeveloper['events'] = [];
  const ctx: EngineContext = {
    ws,
    identity: { user: name, host: 'bench', session: `${name}-session` },
    store: once(async () => meteredStore(await openWorkspaceStore(ws, { keyId: server.keyId, key: server.key }), calls)),
    onProgress: (event) => events.push({ ...event, at: performance.now() }),
    onWarning: (message) => process.stderr.write(`  (${name}: ${message})\n`),
  };
  return {
    name,
    ctx,
    dbPath: join(dir, database),
    calls,
    events,
    addMigration: (phrase, sql) => createMigration({ scriptsDir: join(dir, 'scripts'), db: databaseKey(database), isDefault: true, phrase, sql }),
    pruneSnapshots: async () => {
      const state = await readLocalState(ws);
      await pruneSnapshots(ctx, Object.values(state.databases).flatMap((d) => [d.baseSha1, d.localSha1]));
    },
  };
}
