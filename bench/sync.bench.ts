// Time of `sync` of one small migration on a ~100 MB content database, scenario 1 (base = head)
// and scenario 2 (rebase: someone else published first), phase by phase: (i) at 10 MB/s against
// a plain upload of the file at the same bandwidth, (ii) unthrottled, the sync's time without the
// lock's settle wait. Real local B2 server (its own process), real python3, engine in process.
//
//   npm run bench -- sync        (B2M_BENCH_SYNC_MB=… and B2M_BENCH_RUNS=… change the size and runs)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadDatabase } from '../src/core/sync/download';
import { syncDatabase, type SyncOutcome, type SyncScenario } from '../src/core/sync/sync';
import { buildContentDatabase, describeRows, type ContentDatabase } from './support/content-db';
import { benchDeveloper, type BenchDeveloper } from './support/developer';
import { flushDirtyPages } from './support/processes';
import { bytes, loadAverage, machineLine, medianAndRange, phaseNames, progress, ratio, seconds, summarize, table, verdictLine, type Verdict } from './support/report';
import { startServerProcess } from './support/server-process';
import { describeLockHold, describeWindow } from './support/store-meter';
import { DATABASE, megabytes, RUNS, THROTTLED_BYTES_PER_SECOND } from './support/settings';

const MEGABYTES = megabytes('B2M_BENCH_SYNC_MB', 100);
const MAX_SHARE_OF_UPLOAD = 0.5;
const MAX_UNSETTLED_MS = 1500;

interface Link {
  label: string;
  bytesPerSecond: number | null;
}

const LINKS: Link[] = [
  { label: 'unthrottled', bytesPerSecond: null },
  { label: '10 MB/s', bytesPerSecond: THROTTLED_BYTES_PER_SECOND },
];

interface Run {
  scenario: SyncScenario;
  ms: number;
  outcome: SyncOutcome;
  /** Store calls and waits of the publish phase. */
  publishBreakdown: string;
  /** Store calls and local work of everything before the publish phase. */
  beforePublish: string;
  /** Store calls and local work while the lock was held. */
  underLock: string;
}

interface LinkResult {
  link: Link;
  plainUpload: number[];
  runs: Run[];
  load: string;
}

async function main(): Promise<void> {
  const server = await startServerProcess();
  const root = await mkdtemp(join(tmpdir(), 'b2m-sync-bench-'));
  try {
    const alice = benchDeveloper(root, 'alice', server, DATABASE);
    const bob = benchDeveloper(root, 'bob', server, DATABASE);
    progress(`building a ${MEGABYTES} MB content database`);
    const db = await buildContentDatabase(alice.dbPath, MEGABYTES);
    await alice.addMigration('settings', 'CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT);');
    progress(`built ${bytes(db.bytes)}; alice publishes it, bob downloads it`);
    await syncDatabase(alice.ctx, DATABASE);
    await downloadDatabase(bob.ctx, DATABASE);
    const settleMs = alice.ctx.ws.config.lock.settleSeconds * 1000;

    const results: LinkResult[] = [];
    let n = 0;
    for (const link of LINKS) {
      await server.setBandwidth(link.bytesPerSecond);
      const plainUpload: number[] = [];
      const runs: Run[] = [];
      for (let round = 1; round <= RUNS; round++) {
        progress(`${link.label}, round ${round}/${RUNS}: plain upload of the file`);
        plainUpload.push(await plainUploadMs(alice, `plain/${round}.db`));
        progress(`  ${seconds(plainUpload.at(-1) as number)}; scenario 1: alice syncs on the head`);
        await downloadDatabase(alice.ctx, DATABASE); // bob published last: alice's base becomes the head again
        await alice.pruneSnapshots();
        await alice.addMigration(`views ${n}`, `UPDATE articles SET views = views + 1 WHERE id = ${1 + ((n * 7919) % (db.rows.articles ?? 1))};`);
        runs.push(await measureSync(alice, 'safe'));
        progress(`  ${seconds(runs.at(-1)?.ms ?? 0)}; scenario 2: bob syncs on a base alice overtook`);
        await bob.addMigration(`tag ${n}`, `INSERT INTO tags(name) VALUES ('bench tag ${n}');`);
        runs.push(await measureSync(bob, 'rebase'));
        progress(`  ${seconds(runs.at(-1)?.ms ?? 0)}`);
        n++;
      }
      results.push({ link, plainUpload, runs, load: loadAverage() });
    }
    await server.setBandwidth(null);
    printReport(db, settleMs, results);
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** The file uploaded once, whole, by b2m's store (what every sync did before delta sync); the version is deleted after. */
async function plainUploadMs(dev: BenchDeveloper, name: string): Promise<number> {
  const store = await dev.ctx.store();
  flushDirtyPages();
  const start = performance.now();
  const version = await store.uploadFile(dev.dbPath, name);
  const ms = performance.now() - start;
  await store.deleteVersion(version);
  return ms;
}

async function measureSync(dev: BenchDeveloper, expected: SyncScenario): Promise<Run> {
  flushDirtyPages();
  const start = performance.now();
  const outcome = await syncDatabase(dev.ctx, DATABASE);
  const ms = performance.now() - start;
  if (outcome.result !== 'published' || outcome.scenario !== expected) throw new Error(`${dev.name}'s sync was ${outcome.result} / ${outcome.scenario}, not published / ${expected}`);
  const publishStart = dev.events.find((e) => e.at >= start && e.step === 'publish')?.at ?? start;
  return {
    scenario: outcome.scenario,
    ms,
    outcome,
    publishBreakdown: describeWindow(dev.calls, publishStart, publishStart + (outcome.phases.publish ?? 0)),
    beforePublish: describeWindow(dev.calls, start, publishStart),
    underLock: describeLockHold(dev.calls, start, start + ms),
  };
}

const SCENARIOS: Array<{ scenario: SyncScenario; label: string }> = [
  { scenario: 'safe', label: 'scenario 1 (base = head)' },
  { scenario: 'rebase', label: 'scenario 2 (rebase)' },
];

function printReport(db: ContentDatabase, settleMs: number, results: LinkResult[]): void {
  console.log(`\n### Sync of one small migration on a ${bytes(db.bytes)} database (${describeRows(db)})\n`);
  console.log(machineLine());
  console.log(
    `\nMedians of ${RUNS} runs (min–max). Scenario 1: alice updates one row on the head; scenario 2: bob inserts one row on the version ` +
      `before alice's (rebase: fetch her changed blocks, replay, overlap check). Plain upload: the file once, whole, by b2m's store ` +
      `(uploadFile, as every sync did before delta sync). "Without settle": the sync's time less the lock's settle wait (${seconds(settleMs)}).\n`,
  );
  for (const result of results) {
    const plain = summarize(result.plainUpload);
    console.log(`#### ${result.link.label} (load average ${result.load} at the end)\n`);
    const rows = SCENARIOS.map(({ scenario, label }) => {
      const runs = result.runs.filter((r) => r.scenario === scenario);
      const total = summarize(runs.map((r) => r.ms));
      return [
        label,
        medianAndRange(total, seconds),
        ratio(total.median / plain.median),
        medianAndRange(summarize(runs.map((r) => r.ms - settleMs)), seconds),
        medianAndRange(summarize(runs.map((r) => r.outcome.transfer.lockHeldMs)), seconds),
        bytes(summarize(runs.map((r) => r.outcome.transfer.uploadedBytes)).median),
        bytes(summarize(runs.map((r) => r.outcome.transfer.downloadedBytes)).median),
      ];
    });
    rows.push(['plain upload of the file (reference)', medianAndRange(plain, seconds), '1.00×', '–', '–', bytes(db.bytes), '–']);
    console.log(table(['run', 'sync', '× plain upload', 'without settle', 'lock held', 'uploaded', 'downloaded'], rows, new Set([1, 2, 3, 4, 5, 6])));
    const columns = phaseNames(result.runs.map((r) => r.outcome.phases));
    console.log('\nMedian of each phase (verify runs beside compare and publish, so phases overlap; publish includes the settle wait):\n');
    console.log(
      table(
        ['run', ...columns],
        SCENARIOS.map(({ scenario, label }) => {
          const runs = result.runs.filter((r) => r.scenario === scenario);
          return [label, ...columns.map((p) => seconds(summarize(runs.map((r) => r.outcome.phases[p] ?? 0)).median))];
        }),
        new Set(columns.map((_, i) => i + 1)),
      ),
    );
    console.log('\nThe median run, call by call (store calls by method and purpose: count, time, bytes):\n');
    for (const { scenario, label } of SCENARIOS) {
      const runs = result.runs.filter((r) => r.scenario === scenario).sort((a, b) => a.ms - b.ms);
      const median = runs[Math.floor(runs.length / 2)] as Run;
      console.log(`- ${label}, before publish — ${median.beforePublish}`);
      console.log(`  publish — ${median.publishBreakdown}`);
    }
    const longest = [...result.runs].sort((a, b) => b.outcome.transfer.lockHeldMs - a.outcome.transfer.lockHeldMs)[0];
    if (longest) console.log(`- the longest lock hold, ${seconds(longest.outcome.transfer.lockHeldMs)} (${longest.scenario}): under the lock — ${longest.underLock}`);
    console.log('');
  }
  console.log('#### Targets\n');
  for (const v of verdicts(settleMs, results)) console.log(verdictLine(v));
}

function verdicts(settleMs: number, results: LinkResult[]): Verdict[] {
  const out: Verdict[] = [];
  const throttled = results.find((r) => r.link.bytesPerSecond === THROTTLED_BYTES_PER_SECOND);
  if (throttled) {
    const plain = summarize(throttled.plainUpload).median;
    for (const { scenario, label } of SCENARIOS) {
      const sync = summarize(throttled.runs.filter((r) => r.scenario === scenario).map((r) => r.ms)).median;
      out.push({
        target: `(i) at 10 MB/s, ${label}: a sync takes at most ${MAX_SHARE_OF_UPLOAD}× the plain upload`,
        met: sync <= MAX_SHARE_OF_UPLOAD * plain,
        figures: `${ratio(sync / plain)}: sync ${seconds(sync)} against the plain upload ${seconds(plain)} (medians)`,
      });
    }
  }
  const unthrottled = results.find((r) => r.link.bytesPerSecond === null);
  if (unthrottled) {
    for (const { scenario, label } of SCENARIOS) {
      const runs = unthrottled.runs.filter((r) => r.scenario === scenario);
      const rest = summarize(runs.map((r) => r.ms - settleMs)).median;
      out.push({
        target: `(ii) unthrottled, ${label}: sync time − settle at most ${seconds(MAX_UNSETTLED_MS)}`,
        met: rest <= MAX_UNSETTLED_MS,
        figures: `${seconds(rest)} (sync ${seconds(summarize(runs.map((r) => r.ms)).median)} − settle ${seconds(settleMs)}, medians)`,
      });
    }
  }
  return out;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
