// Delta sync on a ~1 GB content database: what one migration costs to publish (alice's sync) and
// to fetch (bob's download), in bytes and time, against moving the whole file as b2m did before
// delta sync (the store's uploadFile / downloadToFile) and as rclone does (`rclone copyto`); on the
// unthrottled local B2 server and at 10 MB/s; with the lock hold time of every sync.
//
//   npm run bench -- delta        (B2M_BENCH_DELTA_MB=200 B2M_BENCH_RUNS=1 for a quick try)
//
// The engine runs in this process; the server in its own (bench/support/server-process.ts).
// Progress goes to stderr; the tables and one line per target to stdout.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadDatabase, type DownloadOutcome } from '../src/core/sync/download';
import { syncDatabase, type SyncOutcome } from '../src/core/sync/sync';
import { buildContentDatabase, describeRows, totalRows, type ContentDatabase } from './support/content-db';
import { benchDeveloper, type BenchDeveloper } from './support/developer';
import { flushDirtyPages } from './support/processes';
import { rcloneFor, type Rclone } from './support/rclone';
import { bytes, loadAverage, machineLine, medianAndRange, phaseNames, percent, phaseList, progress, ratio, seconds, summarize, table, verdictLine, type Verdict } from './support/report';
import { startServerProcess } from './support/server-process';
import { describeLockHold, describeWindow, wireBytes } from './support/store-meter';
import { DATABASE, megabytes, RUNS, THROTTLED_BYTES_PER_SECOND } from './support/settings';

const MEGABYTES = megabytes('B2M_BENCH_DELTA_MB', 1000);
const MAX_SHARE_A = 0.02;
const MIN_SPEEDUP_A = 10;
const MAX_LOCK_MS = 1000;

type Kind = 'a' | 'b' | 'c' | 'a-after-download';

interface Migration {
  key: Kind;
  label: string;
  /** The SQL of the `run`-th migration of this kind (0-based over the whole bench: each run gets its own). */
  sql(run: number, db: ContentDatabase): string;
}

const INDEXES = ['user_id', 'at', 'kind, at', 'user_id, at', 'kind, user_id', 'at, kind'];

function updateOneRow(n: number, db: ContentDatabase): string {
  return `UPDATE articles SET title = 'edited in run ${n}', views = views + 1 WHERE id = ${1 + Math.floor(((n * 0.37 + 0.11) % 1) * ((db.rows.articles ?? 1) - 1))};`;
}

const MIGRATIONS: Migration[] = [
  { key: 'a', label: '(a) update one row', sql: updateOneRow },
  {
    key: 'b',
    label: '(b) insert 1,000 rows',
    // 1,000 new articles by one author: rows at the end of the table, entries side by side in its author index.
    sql: (n, db) =>
      `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 1000)
INSERT INTO articles(author_id, title, body, published) SELECT ${1 + ((n * 7919) % (db.rows.users ?? 1))}, printf('article %d of import %d', i, ${n}), substr(replace(hex(zeroblob(1000)), '00', 'lorem ipsum '), 1 + i % 100, 1500), 1800000000 + ${n} * 1000 + i FROM k;`,
  },
  {
    key: 'c',
    label: '(c) add an index on events',
    // From the second run on, the previous run's index is dropped in the same migration: its pages are
    // reused, so the database stays near its size instead of growing by an index per run.
    sql: (n) => `${n > 0 ? `DROP INDEX events_index_${n - 1};\n` : ''}CREATE INDEX events_index_${n} ON events(${INDEXES[n % INDEXES.length]});`,
  },
];

/**
 * (a) again, but synced by a developer right after their own download (pull, then push), the
 * developers taking turns: the local file is then a moment old, and the engine's file-hash cache
 * trusts no file modified in the last 2 s. Unthrottled only: under the lock a sync sends only
 * small requests.
 */
const AFTER_DOWNLOAD: Migration = { key: 'a-after-download', label: "(a′) update one row, right after the author's own download", sql: (n, db) => updateOneRow(1000 + n, db) };

interface Link {
  label: string;
  bytesPerSecond: number | null;
  /** Whole-file transfers of 1 GB at 10 MB/s are bandwidth-bound (~100 s each): one run is enough there. */
  referenceRuns: number;
}

const LINKS: Link[] = [
  { label: 'unthrottled', bytesPerSecond: null, referenceRuns: RUNS },
  { label: '10 MB/s', bytesPerSecond: THROTTLED_BYTES_PER_SECOND, referenceRuns: 1 },
];

interface Run {
  migration: Kind;
  syncMs: number;
  uploaded: number;
  /** Sent by the sync's store calls, lock files and manifest included. */
  wireUp: number;
  lockHeldMs: number;
  how: string;
  phases: Record<string, number>;
  publishBreakdown: string;
  /** Store calls and local work while the lock was held. */
  lockBreakdown: string;
  downloadMs: number;
  downloaded: number;
  /** Received by the download's store calls, manifest included. */
  wireDown: number;
  downloadHow: DownloadOutcome['transfer']['how'];
  downloadBreakdown: string;
}

interface Reference {
  b2mUp: number[];
  b2mDown: number[];
  rcloneUp: number[];
  rcloneDown: number[];
  size: number;
}

interface LinkResult {
  link: Link;
  runs: Run[];
  reference: Reference;
  load: string;
}

async function main(): Promise<void> {
  const server = await startServerProcess();
  const root = await mkdtemp(join(tmpdir(), 'b2m-delta-bench-'));
  const rclone = rcloneFor(server);
  try {
    const alice = benchDeveloper(root, 'alice', server, DATABASE);
    const bob = benchDeveloper(root, 'bob', server, DATABASE);
    progress(`building a ${MEGABYTES} MB content database with Python's sqlite3`);
    const db = await buildContentDatabase(alice.dbPath, MEGABYTES);
    progress(`built ${bytes(db.bytes)}, ${describeRows(db)} in ${seconds(db.buildMs)}`);
    if (totalRows(db) < 1_000_000 && MEGABYTES >= 1000) throw new Error('the content database has fewer than 1,000,000 rows');

    await alice.addMigration('settings', 'CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT);');
    progress('alice publishes the first version (whole file, with an early migration: _b2m_migrations exists from then on)');
    const first = await timed(() => syncDatabase(alice.ctx, DATABASE));
    progress(`first version: ${seconds(first.ms)}, lock held ${seconds(first.value.transfer.lockHeldMs)}; bob downloads it whole`);
    const bobFirst = await timed(() => downloadDatabase(bob.ctx, DATABASE));
    await bob.pruneSnapshots();
    progress(`bob's first download: ${seconds(bobFirst.ms)}`);

    const results: LinkResult[] = [];
    const counts = new Map<Kind, number>();
    const nextSql = (m: Migration): string => {
      const run = counts.get(m.key) ?? 0;
      counts.set(m.key, run + 1);
      return m.sql(run, db);
    };
    for (const link of LINKS) {
      await server.setBandwidth(link.bytesPerSecond);
      const runs: Run[] = [];
      for (let round = 1; round <= RUNS; round++) {
        for (const migration of MIGRATIONS) {
          progress(`${link.label}, round ${round}/${RUNS}: ${migration.label}`);
          runs.push(await measureMigration(alice, bob, migration, nextSql(migration)));
        }
      }
      if (link.bytesPerSecond === null) {
        // Bob downloaded last: he starts. The whole-file runs after these leave alice's file seconds old no more.
        for (let run = 0; run < RUNS; run++) {
          const [author, teammate] = run % 2 === 0 ? [bob, alice] : [alice, bob];
          progress(`${link.label}, ${AFTER_DOWNLOAD.label}: ${author.name} (${run + 1}/${RUNS})`);
          runs.push(await measureMigration(author, teammate, AFTER_DOWNLOAD, nextSql(AFTER_DOWNLOAD)));
        }
      }
      const reference = await measureWholeFile(alice, rclone, link, root);
      results.push({ link, runs, reference, load: loadAverage() });
    }
    await server.setBandwidth(null);
    printReport(db, first, bobFirst, results);
  } finally {
    rclone.close();
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  flushDirtyPages();
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/**
 * The author writes and syncs one migration; the teammate downloads the result. Dirty pages are
 * written out before each, except before the sync of (a′), which follows the author's own download
 * at once, as in `b2m download && b2m sync`.
 */
async function measureMigration(author: BenchDeveloper, teammate: BenchDeveloper, migration: Migration, sql: string): Promise<Run> {
  await author.addMigration(`bench ${migration.key}`, sql);
  if (migration !== AFTER_DOWNLOAD) flushDirtyPages();
  const syncStart = performance.now();
  const sync: SyncOutcome = await syncDatabase(author.ctx, DATABASE);
  const syncEnd = performance.now();
  if (sync.result !== 'published') throw new Error(`${author.name}'s sync did not publish: ${sync.result}`);
  flushDirtyPages();
  const downloadStart = performance.now();
  const download = await downloadDatabase(teammate.ctx, DATABASE);
  const downloadEnd = performance.now();
  await teammate.pruneSnapshots();
  if (download.version.id !== sync.head.id) throw new Error(`${teammate.name} did not get the version ${author.name} published`);
  const publishStart = author.events.find((e) => e.at >= syncStart && e.step === 'publish')?.at ?? syncStart;
  const run: Run = {
    migration: migration.key,
    syncMs: syncEnd - syncStart,
    uploaded: sync.transfer.uploadedBytes,
    wireUp: wireBytes(author.calls, syncStart, syncEnd).sent,
    lockHeldMs: sync.transfer.lockHeldMs,
    how: sync.transfer.how ?? '?',
    phases: sync.phases,
    publishBreakdown: describeWindow(author.calls, publishStart, publishStart + (sync.phases.publish ?? 0)),
    lockBreakdown: describeLockHold(author.calls, syncStart, syncEnd),
    downloadMs: downloadEnd - downloadStart,
    downloaded: download.transfer.downloadedBytes,
    wireDown: wireBytes(teammate.calls, downloadStart, downloadEnd).received,
    downloadHow: download.transfer.how,
    downloadBreakdown: describeWindow(teammate.calls, downloadStart, downloadEnd),
  };
  progress(
    `  sync ${seconds(run.syncMs)} (uploaded ${bytes(run.uploaded)}, lock held ${seconds(run.lockHeldMs)}), download ${seconds(run.downloadMs)} (${bytes(run.downloaded)}, ${run.downloadHow})`,
  );
  return run;
}

/** The database moved whole, up and down, by b2m's store and by rclone, in alternation. */
async function measureWholeFile(alice: BenchDeveloper, rclone: Rclone, link: Link, root: string): Promise<Reference> {
  const store = await alice.ctx.store();
  const reference: Reference = { b2mUp: [], b2mDown: [], rcloneUp: [], rcloneDown: [], size: 0 };
  const b2mTarget = join(root, 'whole-b2m.db');
  const rcloneTarget = join(root, 'whole-rclone.db');
  for (let run = 1; run <= link.referenceRuns; run++) {
    const names = { b2m: `reference/b2m-${run}.db`, rclone: `reference/rclone-${run}.db` };
    progress(`${link.label}, whole file ${run}/${link.referenceRuns}: b2m's uploadFile`);
    const up = await timed(() => store.uploadFile(alice.dbPath, names.b2m));
    reference.b2mUp.push(up.ms);
    reference.size = up.value.size;
    progress(`  ${seconds(up.ms)}; rclone copyto (upload)`);
    reference.rcloneUp.push((await timed(() => rclone.copy(alice.dbPath, rclone.remote(names.rclone)))).value);
    progress(`  ${seconds(reference.rcloneUp.at(-1) as number)}; b2m's downloadToFile`);
    reference.b2mDown.push((await timed(() => store.downloadToFile(up.value, b2mTarget))).ms);
    progress(`  ${seconds(reference.b2mDown.at(-1) as number)}; rclone copyto (download)`);
    reference.rcloneDown.push((await timed(() => rclone.copy(rclone.remote(names.rclone), rcloneTarget))).value);
    progress(`  ${seconds(reference.rcloneDown.at(-1) as number)}`);
    await Promise.all([rm(b2mTarget, { force: true }), rm(rcloneTarget, { force: true }), store.deleteVersion(up.value), rclone.remove(names.rclone)]);
  }
  return reference;
}

function printReport(db: ContentDatabase, first: { ms: number; value: SyncOutcome }, bobFirst: { ms: number; value: DownloadOutcome }, results: LinkResult[]): void {
  const size = db.bytes;
  const ms = (v: number): string => seconds(v);
  console.log(`\n### Delta sync of one migration on a ${bytes(size)} database (${describeRows(db)})\n`);
  console.log(machineLine());
  console.log(
    `\nAlice syncs one migration, bob downloads the result (engine in process, local B2 server in its own process). ` +
      `Medians of ${RUNS} runs (min–max); whole-file references: medians of ${LINKS[0]?.referenceRuns} unthrottled, 1 run at 10 MB/s (bandwidth-bound). ` +
      `Bytes: the engine's count (the manifest included on upload); "on the wire" adds lock files and the manifest download. ` +
      `First version (whole file): ${ms(first.ms)}, lock held ${ms(first.value.transfer.lockHeldMs)} (${phaseList(first.value.phases)}); bob's first, whole download: ${ms(bobFirst.ms)}.\n`,
  );
  for (const result of results) {
    const { reference } = result;
    const kinds = [...MIGRATIONS, AFTER_DOWNLOAD].filter((m) => result.runs.some((r) => r.migration === m.key));
    console.log(`#### ${result.link.label} (load average ${result.load} at the end)\n`);
    const rows: string[][] = kinds.map((m) => {
      const runs = result.runs.filter((r) => r.migration === m.key);
      const up = summarize(runs.map((r) => r.uploaded));
      const down = summarize(runs.map((r) => r.downloaded));
      return [
        m.label,
        `${medianAndRange(up, bytes)}, ${percent(up.max, size)} at most; wire ${bytes(summarize(runs.map((r) => r.wireUp)).max)}`,
        medianAndRange(summarize(runs.map((r) => r.syncMs)), ms),
        medianAndRange(summarize(runs.map((r) => r.lockHeldMs)), ms),
        `${medianAndRange(down, bytes)}, ${percent(down.max, size)} at most; wire ${bytes(summarize(runs.map((r) => r.wireDown)).max)}`,
        medianAndRange(summarize(runs.map((r) => r.downloadMs)), ms),
      ];
    });
    rows.push(
      ['whole file, b2m before delta sync (uploadFile / downloadToFile)', bytes(reference.size), medianAndRange(summarize(reference.b2mUp), ms), '–', bytes(reference.size), medianAndRange(summarize(reference.b2mDown), ms)],
      ['whole file, rclone copyto', bytes(reference.size), medianAndRange(summarize(reference.rcloneUp), ms), '–', bytes(reference.size), medianAndRange(summarize(reference.rcloneDown), ms)],
    );
    console.log(table(['migration', 'sync: uploaded', 'sync: wall time', 'lock held', 'download: downloaded', 'download: wall time'], rows, new Set([1, 2, 3, 4, 5])));

    const b2mUp = summarize(reference.b2mUp).median;
    const b2mDown = summarize(reference.b2mDown).median;
    const rcloneUp = summarize(reference.rcloneUp).median;
    const rcloneDown = summarize(reference.rcloneDown).median;
    console.log('\nSpeed-up of the median sync and download over the whole-file transfers (> 1: delta sync is faster):\n');
    console.log(
      table(
        ['migration', 'sync vs b2m whole upload', 'sync vs rclone upload', 'download vs b2m whole download', 'download vs rclone download'],
        kinds.map((m) => {
          const runs = result.runs.filter((r) => r.migration === m.key);
          const sync = summarize(runs.map((r) => r.syncMs)).median;
          const download = summarize(runs.map((r) => r.downloadMs)).median;
          return [m.label, ratio(b2mUp / sync), ratio(rcloneUp / sync), ratio(b2mDown / download), ratio(rcloneDown / download)];
        }),
        new Set([1, 2, 3, 4]),
      ),
    );
    console.log('\nWhere the time goes (median of each phase; verify runs beside compare and publish, so phases overlap):\n');
    const columns = phaseNames(result.runs.map((r) => r.phases));
    console.log(
      table(
        ['migration', ...columns],
        kinds.map((m) => {
          const runs = result.runs.filter((r) => r.migration === m.key);
          return [m.label, ...columns.map((p) => ms(summarize(runs.map((r) => r.phases[p] ?? 0)).median))];
        }),
        new Set(columns.map((_, i) => i + 1)),
      ),
    );
    console.log('\nThe median run of each migration, call by call (store calls by method and purpose: count, time, bytes):\n');
    for (const m of kinds) {
      const run = medianRun(result.runs.filter((r) => r.migration === m.key));
      console.log(`- ${m.label}: publish (${run.how}) — ${run.publishBreakdown}`);
      console.log(`  download (${run.downloadHow}) — ${run.downloadBreakdown}`);
    }
    const longest = [...result.runs].sort((a, b) => b.lockHeldMs - a.lockHeldMs)[0];
    if (longest) console.log(`- the longest lock hold, ${ms(longest.lockHeldMs)} (${kinds.find((m) => m.key === longest.migration)?.label}): under the lock — ${longest.lockBreakdown}`);
    console.log('');
  }
  console.log('#### Targets\n');
  for (const v of verdicts(size, first.value, results)) console.log(verdictLine(v));
}

function medianRun(runs: Run[]): Run {
  const sorted = [...runs].sort((a, b) => a.syncMs - b.syncMs);
  return sorted[Math.floor(sorted.length / 2)] as Run;
}

function verdicts(size: number, first: SyncOutcome, results: LinkResult[]): Verdict[] {
  const out: Verdict[] = [];
  const aRuns = results.flatMap((r) => r.runs.filter((run) => run.migration === 'a' || run.migration === 'a-after-download'));
  const maxUp = Math.max(...aRuns.map((r) => r.uploaded));
  const maxWireUp = Math.max(...aRuns.map((r) => r.wireUp));
  const maxDown = Math.max(...aRuns.map((r) => r.downloaded));
  const maxWireDown = Math.max(...aRuns.map((r) => r.wireDown));
  const limit = MAX_SHARE_A * size;
  out.push({
    target: `(a) and (a′) bytes each way at most ${MAX_SHARE_A * 100} % of the database (${bytes(limit)})`,
    met: Math.max(maxUp, maxWireUp, maxDown, maxWireDown) <= limit,
    figures: `uploaded at most ${bytes(maxUp)} = ${percent(maxUp, size)} (${bytes(maxWireUp)} on the wire with lock files), downloaded at most ${bytes(maxDown)} = ${percent(maxDown, size)} (${bytes(maxWireDown)} with the manifest), over ${aRuns.length} runs on both links`,
  });
  const throttled = results.find((r) => r.link.bytesPerSecond === THROTTLED_BYTES_PER_SECOND);
  if (throttled) {
    const sync = summarize(throttled.runs.filter((r) => r.migration === 'a').map((r) => r.syncMs)).median;
    const whole = summarize(throttled.reference.b2mUp).median;
    out.push({
      target: `at 10 MB/s a sync of (a) at least ${MIN_SPEEDUP_A}× faster than the whole-file upload`,
      met: whole / sync >= MIN_SPEEDUP_A,
      figures: `${ratio(whole / sync)}: sync ${seconds(sync)} (median) against b2m's whole-file upload ${seconds(whole)}; rclone ${seconds(summarize(throttled.reference.rcloneUp).median)}`,
    });
  }
  const locks = [first.transfer.lockHeldMs, ...results.flatMap((r) => r.runs.map((run) => run.lockHeldMs))];
  const worst = Math.max(...locks);
  out.push({
    target: `lock held under ${seconds(MAX_LOCK_MS)} whatever the size`,
    met: worst < MAX_LOCK_MS,
    figures: `longest ${seconds(worst)} over ${locks.length} syncs (first version ${seconds(first.transfer.lockHeldMs)}; median ${seconds(summarize(locks).median)})`,
  });
  return out;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
