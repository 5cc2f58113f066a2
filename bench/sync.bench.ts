// Time of `sync` of one small migration on a 100 MB database, scenarios 1 and 2, by phase,
// against the baseline of plainly uploading the file once. Real local B2 server, real python3.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Workspace } from '../src/core/config';
import type { EngineContext } from '../src/core/context';
import { formatDuration } from '../src/core/format';
import { createMigration } from '../src/core/migrations/create';
import { once, openWorkspaceStore } from '../src/core/open-store';
import { downloadDatabase } from '../src/core/sync/download';
import { syncDatabase, type SyncOutcome } from '../src/core/sync/sync';
import { withLocalB2 } from '../test/support/local-b2';

const SIZE_MB = Number(process.env.B2M_BENCH_DB_MB ?? 100);
const b2 = await withLocalB2();
const root = mkdtempSync(join(tmpdir(), 'b2m-sync-bench-'));

function developer(name: string): EngineContext {
  const dir = join(root, name);
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  const ws: Workspace = { root: dir, config: parseConfig({ bucket: b2.bucket, databases: ['big.db'], endpoint: b2.endpoint }) };
  return {
    ws,
    identity: { user: name, host: 'bench', session: `${name}-session` },
    store: once(() => openWorkspaceStore(ws, { keyId: b2.keyId, key: b2.key })),
  };
}

async function addMigration(ctx: EngineContext, phrase: string, sql: string): Promise<void> {
  const path = await createMigration({ scriptsDir: join(ctx.ws.root, 'scripts'), db: 'big', isDefault: true, phrase });
  writeFileSync(path, `import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nwith c:\n    c.executescript(${JSON.stringify(sql)})\n`);
}

try {
  const alice = developer('alice');
  const bob = developer('bob');
  const db = join(alice.ws.root, 'big.db');
  const rows = Math.round((SIZE_MB * 1024 * 1024) / 1100);
  execFileSync('python3', ['-c', `
import sqlite3, os
c = sqlite3.connect(${JSON.stringify(db)})
c.execute("CREATE TABLE blobs(id INTEGER PRIMARY KEY, body BLOB)")
c.executemany("INSERT INTO blobs(body) VALUES (?)", ((os.urandom(1000),) for _ in range(${rows})))
c.commit()
`]);
  const bytes = statSync(db).size;
  const store = await alice.store();

  const t0 = performance.now();
  await store.uploadFile(db, 'baseline/big.db');
  const baselineMs = performance.now() - t0;

  await syncDatabase(alice, 'big.db'); // first version
  await downloadDatabase(bob, 'big.db');

  await addMigration(alice, 'settings', 'CREATE TABLE settings(k TEXT PRIMARY KEY, v TEXT); INSERT INTO settings VALUES (\'a\', \'1\');');
  let t = performance.now();
  const s1 = await syncDatabase(alice, 'big.db');
  const s1Ms = performance.now() - t;

  await addMigration(bob, 'audit', 'CREATE TABLE audit(id INTEGER PRIMARY KEY, what TEXT); INSERT INTO audit(what) VALUES (\'x\');');
  t = performance.now();
  const s2 = await syncDatabase(bob, 'big.db');
  const s2Ms = performance.now() - t;

  const phaseRow = (o: SyncOutcome): string =>
    Object.entries(o.phases)
      .map(([k, v]) => `${k} ${formatDuration(v)}`)
      .join(', ');
  console.log(`\n### Sync of one small migration on a ${(bytes / 1e6).toFixed(0)} MB database (local B2 server)\n`);
  console.log('| run | total | vs plain upload | phases |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| plain upload of the file once (baseline) | ${formatDuration(baselineMs)} | 1.00× | upload |`);
  console.log(`| scenario 1 (${s1.scenario}) | ${formatDuration(s1Ms)} | ${(s1Ms / baselineMs).toFixed(2)}× | ${phaseRow(s1)} |`);
  console.log(`| scenario 2 (${s2.scenario}) | ${formatDuration(s2Ms)} | ${(s2Ms / baselineMs).toFixed(2)}× | ${phaseRow(s2)} |`);
} finally {
  await b2.close();
  rmSync(root, { recursive: true, force: true });
}
