// The whole-file paths of b2m as a user runs them (the built command line, `node dist/cli.cjs`),
// in the same run as rclone on the same ~300 MB database: a first `b2m sync` of a new database
// (no version yet) against `rclone copyto` plus the lock's settle wait, and a first `b2m download`
// (no local copy, nothing cached) against `rclone copyto` from the bucket. Fresh workspaces each run.
//
//   npm run bench -- whole-file        (B2M_BENCH_WHOLE_MB=… and B2M_BENCH_RUNS=… change the size and runs)
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../src/core/config';
import type { SyncOutcome } from '../src/core/sync/sync';
import type { DownloadOutcome } from '../src/core/sync/download';
import { buildContentDatabase, describeRows } from './support/content-db';
import { flushDirtyPages, runTimed } from './support/processes';
import { rcloneFor } from './support/rclone';
import { bytes, loadAverage, machineLine, medianAndRange, phaseNames, progress, ratio, seconds, summarize, table, verdictLine, type Verdict } from './support/report';
import { cliEnvironment, startServerProcess, type ServerProcess } from './support/server-process';
import { DATABASE, megabytes, RUNS } from './support/settings';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.cjs');
const MEGABYTES = megabytes('B2M_BENCH_WHOLE_MB', 300);
const MAX_SYNC_RATIO = 1.5;
const MAX_DOWNLOAD_RATIO = 1;

interface Round {
  sync: number;
  syncOutcome: SyncOutcome;
  rcloneUp: number;
  download: number;
  downloadOutcome: DownloadOutcome;
  rcloneDown: number;
}

async function main(): Promise<void> {
  progress('building the command line (node scripts/build.mjs)');
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  const server = await startServerProcess();
  const root = await mkdtemp(join(tmpdir(), 'b2m-whole-file-bench-'));
  const rclone = rcloneFor(server);
  try {
    const source = join(root, 'source.db');
    progress(`building a ${MEGABYTES} MB content database`);
    const db = await buildContentDatabase(source, MEGABYTES);
    const env = cliEnvironment(server, 'bench');
    const startup = summarize(await repeat(RUNS, async () => (await runTimed(process.execPath, [CLI, '--version'], { env })).ms));
    const rounds: Round[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const prefix = `run-${run}/`;
      progress(`round ${run}/${RUNS}: b2m sync of a new database (fresh workspace)`);
      const syncDir = await workspace(root, `sync-${run}`, server, prefix);
      await copyFile(source, join(syncDir, DATABASE));
      // A database published for the first time was written a while ago, not a moment before: b2m's
      // hash cache ignores files modified in the last 2 s, which would hash it once more under the lock.
      const minuteAgo = new Date(Date.now() - 60_000);
      await utimes(join(syncDir, DATABASE), minuteAgo, minuteAgo);
      const sync = await cli<SyncOutcome>(['sync', DATABASE, '--json'], syncDir, env);
      await rm(syncDir, { recursive: true, force: true });
      progress(`  ${seconds(sync.ms)}; rclone copyto (upload)`);
      const remote = rclone.remote(`rclone-${run}/${DATABASE}`);
      flushDirtyPages();
      const rcloneUp = await rclone.copy(source, remote);
      progress(`  ${seconds(rcloneUp)}; b2m download into a fresh workspace`);
      const downloadDir = await workspace(root, `download-${run}`, server, prefix);
      const download = await cli<DownloadOutcome>(['download', DATABASE, '--json'], downloadDir, env);
      if ((await stat(join(downloadDir, DATABASE))).size !== db.bytes) throw new Error('the download has another size than the source');
      await rm(downloadDir, { recursive: true, force: true });
      progress(`  ${seconds(download.ms)}; rclone copyto (download)`);
      const rcloneTarget = join(root, `rclone-${run}.db`);
      flushDirtyPages();
      const rcloneDown = await rclone.copy(remote, rcloneTarget);
      progress(`  ${seconds(rcloneDown)}`);
      await rm(rcloneTarget, { force: true });
      rounds.push({ sync: sync.ms, syncOutcome: sync.value, rcloneUp, download: download.ms, downloadOutcome: download.value, rcloneDown });
    }
    printReport(db.bytes, describeRows(db), startup.median, DEFAULT_CONFIG.lock.settleSeconds * 1000, rounds);
  } finally {
    rclone.close();
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

async function repeat(times: number, measure: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push(await measure());
  return out;
}

/** A new folder with only b2m.json (the default lock timings), as after `b2m init`. */
async function workspace(root: string, name: string, server: ServerProcess, prefix: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'scripts'), { recursive: true });
  await writeFile(join(dir, 'b2m.json'), JSON.stringify({ bucket: server.bucket, prefix, databases: [DATABASE], endpoint: server.endpoint }, null, 2));
  return dir;
}

/** Runs `b2m ARGS` in `cwd` as a whole process; its --json result. */
async function cli<T>(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; value: T }> {
  flushDirtyPages();
  const run = await runTimed(process.execPath, [CLI, ...args], { cwd, env });
  return { ms: run.ms, value: JSON.parse(run.stdout) as T };
}

function printReport(size: number, rows: string, startupMs: number, settleMs: number, rounds: Round[]): void {
  const s = (pick: (r: Round) => number) => summarize(rounds.map(pick));
  const sync = s((r) => r.sync);
  const rcloneUp = s((r) => r.rcloneUp);
  const upReference = s((r) => r.rcloneUp + settleMs);
  const download = s((r) => r.download);
  const rcloneDown = s((r) => r.rcloneDown);
  console.log(`\n### Whole-file paths through the command line: a ${bytes(size)} database (${rows})\n`);
  console.log(machineLine());
  console.log(
    `\nMedians of ${RUNS} runs (min–max), each in a fresh workspace, timed as whole processes (\`node dist/cli.cjs …\`, start-up ${seconds(startupMs)}; ` +
      `rclone with its defaults). The reference of a first sync is rclone's upload plus the lock's settle wait (${seconds(settleMs)}), ` +
      `which a safe publish under a lock without compare-and-swap cannot skip.\n`,
  );
  console.log(
    table(
      ['step', 'b2m', 'rclone copyto', 'reference', 'b2m ÷ reference', 'target'],
      [
        ['first sync of a new database', medianAndRange(sync, seconds), medianAndRange(rcloneUp, seconds), `${seconds(upReference.median)} (rclone + settle)`, ratio(sync.median / upReference.median), `≤ ${MAX_SYNC_RATIO}×`],
        ['first download (nothing local)', medianAndRange(download, seconds), medianAndRange(rcloneDown, seconds), `${seconds(rcloneDown.median)} (rclone)`, ratio(download.median / rcloneDown.median), `≤ ${MAX_DOWNLOAD_RATIO}×`],
      ],
      new Set([1, 2, 3, 4]),
    ),
  );
  const columns = phaseNames(rounds.map((r) => r.syncOutcome.phases));
  console.log('\nPhases of the first sync as b2m reports them (`--json`), medians; the rest of the process is start-up and exit:\n');
  console.log(
    table(
      ['run', 'process', ...columns, 'lock held'],
      [['first sync', seconds(sync.median), ...columns.map((p) => seconds(s((r) => r.syncOutcome.phases[p] ?? 0).median)), seconds(s((r) => r.syncOutcome.transfer.lockHeldMs).median)]],
      new Set(columns.map((_, i) => i + 1).concat([columns.length + 1, columns.length + 2])),
    ),
  );
  console.log(`\nLoad average at the end: ${loadAverage()}.\n`);
  console.log('#### Targets\n');
  const verdicts: Verdict[] = [
    {
      target: `a first b2m sync takes at most ${MAX_SYNC_RATIO}× rclone copyto plus the settle wait`,
      met: sync.median <= MAX_SYNC_RATIO * upReference.median,
      figures: `${ratio(sync.median / upReference.median)}: ${seconds(sync.median)} against ${seconds(rcloneUp.median)} + ${seconds(settleMs)}`,
    },
    {
      target: `a first b2m download takes at most ${MAX_DOWNLOAD_RATIO}× rclone copyto`,
      met: download.median <= MAX_DOWNLOAD_RATIO * rcloneDown.median,
      figures: `${ratio(download.median / rcloneDown.median)}: ${seconds(download.median)} against ${seconds(rcloneDown.median)}`,
    },
  ];
  for (const v of verdicts) console.log(verdictLine(v));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
