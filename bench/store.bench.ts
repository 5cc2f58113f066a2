// Throughput and memory of B2Store against the local B2 server, next to the local I/O limit
// (sha1sum + cp of the same file) and rclone moving the same file through the same server.
//
//   node --import tsx bench/store.bench.ts [--size-mb 256] [--small-mb 64] [--runs 3]
//
// Our transfers run in a child process (this file, with `child` as first argument) so that its
// peak RSS is the transfer's; rclone runs under /usr/bin/time for the same figure. Prints Markdown.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openB2Store, type B2Store } from '../src/core/store/b2-store';
import { withLocalB2, type LocalB2 } from '../test/support/local-b2';
import { flushDirtyPages, runTimed } from './support/processes';
import { downloadWithUndici } from './support/undici-download';

const MiB = 1024 * 1024;
const PART_SIZE = 32 * MiB;
const CONCURRENCY = 4;
/** Downloads of two segments or more go in parallel, CONCURRENCY at a time (rclone: 4 streams above 250 MiB). */
const DOWNLOAD_SEGMENT = 32 * MiB;

interface Measure {
  seconds: number;
  /** Peak resident memory of the process doing the transfer, in MiB. */
  maxRssMiB?: number;
}

interface ChildRequest {
  /**
   * `open` only authorizes: the memory of Node, tsx and the store before any transfer.
   * `download-undici`: the same download through undici instead of b2m's own HTTP/1.1 client.
   */
  direction: 'upload' | 'download' | 'download-undici' | 'open';
  endpoint: string;
  keyId: string;
  key: string;
  bucket: string;
  localPath: string;
  name: string;
}

async function childMain(request: ChildRequest): Promise<void> {
  const started = performance.now();
  if (request.direction === 'download-undici') {
    await downloadWithUndici({ ...request, targetPath: request.localPath, segmentSize: DOWNLOAD_SEGMENT, concurrency: CONCURRENCY });
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
    return;
  }
  const store: B2Store = await openB2Store({
    keyId: request.keyId,
    key: request.key,
    bucket: request.bucket,
    endpoint: request.endpoint,
    partSize: PART_SIZE,
    largeFileThreshold: PART_SIZE,
    uploadConcurrency: CONCURRENCY,
    downloadSegmentSize: DOWNLOAD_SEGMENT,
    downloadConcurrency: CONCURRENCY,
  });
  if (request.direction === 'upload') {
    await store.uploadFile(request.localPath, request.name);
  } else if (request.direction === 'download') {
    let version;
    for await (const v of store.listVersions(request.name)) version ??= v;
    if (!version) throw new Error(`${request.name} not found`);
    await store.downloadToFile(version, request.localPath);
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
}

async function ours(b2: LocalB2, direction: ChildRequest['direction'], localPath: string, name: string): Promise<Measure> {
  const request: ChildRequest = { direction, endpoint: b2.endpoint, keyId: b2.keyId, key: b2.key, bucket: b2.bucket, localPath, name };
  const { stdout } = await runTimed(process.execPath, ['--import', 'tsx', process.argv[1] ?? '', 'child', JSON.stringify(request)]);
  return JSON.parse(stdout) as Measure;
}

/** rclone under /usr/bin/time: wall time of the process (its start-up included) and its peak RSS. */
async function rclone(b2: LocalB2, configPath: string, from: string, to: string): Promise<Measure> {
  const env = {
    ...process.env,
    RCLONE_CONFIG: configPath,
    RCLONE_CONFIG_LOCAL_TYPE: 'b2',
    RCLONE_CONFIG_LOCAL_ACCOUNT: b2.keyId,
    RCLONE_CONFIG_LOCAL_KEY: b2.key,
    RCLONE_CONFIG_LOCAL_ENDPOINT: b2.endpoint,
  };
  const flags = [
    `--b2-chunk-size=${PART_SIZE / MiB}Mi`,
    `--b2-upload-cutoff=${PART_SIZE / MiB}Mi`,
    `--transfers=${CONCURRENCY}`,
    '--multi-thread-streams=4',
    '--ignore-times',
  ];
  const { stderr, ms } = await runTimed('/usr/bin/time', ['-f', 'maxrss_kb=%M', 'rclone', 'copyto', from, to, ...flags], { env });
  const rss = /maxrss_kb=(\d+)/.exec(stderr);
  return { seconds: ms / 1000, maxRssMiB: rss ? Number(rss[1]) / 1024 : undefined };
}

async function timed(command: string, args: string[]): Promise<Measure> {
  return { seconds: (await runTimed(command, args)).ms / 1000 };
}

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  for (let written = 0; written < bytes; written += 8 * MiB) {
    const chunk = randomBytes(Math.min(8 * MiB, bytes - written));
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function undiciVersion(): string {
  return (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'node_modules', 'undici', 'package.json'), 'utf8')) as { version: string }).version;
}

function sha1sum(path: string): string {
  return execFileSync('sha1sum', [path], { encoding: 'utf8' }).split(' ')[0] ?? '';
}

/** The median run by time. */
function median(results: Measure[]): Measure {
  const sorted = [...results].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)] as Measure;
}

/**
 * Writes every dirty page to disk first, so that no contender pays for the writeback of what the
 * one before it wrote (b2m fsyncs its downloads, rclone and cp do not).
 */
async function settled(measure: () => Promise<Measure>): Promise<Measure> {
  flushDirtyPages();
  return measure();
}

async function repeat(runs: number, measure: () => Promise<Measure>): Promise<Measure> {
  const results: Measure[] = [];
  for (let i = 0; i < runs; i++) results.push(await settled(measure));
  return median(results);
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

async function main(): Promise<void> {
  const sizeMiB = option('--size-mb', 256);
  const smallMiB = option('--small-mb', 64);
  const runs = option('--runs', 3);
  const dir = await mkdtemp(join(tmpdir(), 'b2m-bench-'));
  const b2 = await withLocalB2();
  try {
    const configPath = join(dir, 'rclone.conf');
    await writeFile(configPath, '');
    const rows: string[] = [];
    const transportChoice: string[] = [];
    const mbps = (bytes: number, m: Measure): string => (bytes / 1e6 / m.seconds).toFixed(0);
    const rss = (m: Measure): string => (m.maxRssMiB === undefined ? '–' : m.maxRssMiB.toFixed(0));

    for (const mib of [sizeMiB, smallMiB]) {
      const bytes = mib * MiB;
      const source = join(dir, `source-${mib}.bin`);
      await writeRandomFile(source, bytes);
      const expected = sha1sum(source); // also warms the page cache for every contender
      const copy = join(dir, `copy-${mib}.bin`);
      const hash = await repeat(runs, () => timed('sha1sum', [source]));
      const cp = await repeat(runs, async () => {
        await rm(copy, { force: true });
        return timed('cp', [source, copy]);
      });
      const limit: Measure = { seconds: hash.seconds + cp.seconds };

      // Contenders alternate within each round so that they share the machine's conditions.
      const remote = `local:${b2.bucket}/bench/rclone-${mib}.bin`;
      const ourTarget = join(dir, `ours-${mib}.out`);
      const rcloneTarget = join(dir, `rclone-${mib}.out`);
      const undiciTarget = join(dir, `undici-${mib}.out`);
      const rounds: Record<'ourUp' | 'rcloneUp' | 'ourDown' | 'undiciDown' | 'rcloneDown', Measure[]> = { ourUp: [], rcloneUp: [], ourDown: [], undiciDown: [], rcloneDown: [] };
      for (let i = 0; i < runs; i++) {
        rounds.ourUp.push(await settled(() => ours(b2, 'upload', source, `bench/ours-${mib}.bin`)));
        rounds.rcloneUp.push(await settled(() => rclone(b2, configPath, source, remote)));
        // Both download to a new file: replacing one is the file system's cost (ext4 frees its blocks).
        await rm(ourTarget, { force: true });
        rounds.ourDown.push(await settled(() => ours(b2, 'download', ourTarget, `bench/ours-${mib}.bin`)));
        await rm(undiciTarget, { force: true });
        rounds.undiciDown.push(await settled(() => ours(b2, 'download-undici', undiciTarget, `bench/ours-${mib}.bin`)));
        await rm(rcloneTarget, { force: true });
        rounds.rcloneDown.push(await settled(() => rclone(b2, configPath, remote, rcloneTarget)));
      }
      if (sha1sum(ourTarget) !== expected) throw new Error('our download differs from the source');
      if (sha1sum(undiciTarget) !== expected) throw new Error('the undici download differs from the source');
      if (sha1sum(rcloneTarget) !== expected) throw new Error('rclone download differs from the source');
      const ourUp = median(rounds.ourUp);
      const rcloneUp = median(rounds.rcloneUp);
      const ourDown = median(rounds.ourDown);
      const undiciDown = median(rounds.undiciDown);
      const rcloneDown = median(rounds.rcloneDown);

      /** Our throughput over the reference's. */
      const ratio = (reference: Measure, measured: Measure): string => (reference.seconds / measured.seconds).toFixed(2);
      rows.push(
        `| ${mib} MiB | local limit (sha1sum ${mbps(bytes, hash)} MB/s + cp ${mbps(bytes, cp)} MB/s) | ${mbps(bytes, limit)} | | | – |`,
        `| ${mib} MiB | b2m upload | ${mbps(bytes, ourUp)} | ${ratio(limit, ourUp)} | ${ratio(rcloneUp, ourUp)} | ${rss(ourUp)} |`,
        `| ${mib} MiB | rclone upload | ${mbps(bytes, rcloneUp)} | ${ratio(limit, rcloneUp)} | 1.00 | ${rss(rcloneUp)} |`,
        `| ${mib} MiB | b2m download (its own HTTP/1.1 client) | ${mbps(bytes, ourDown)} | ${ratio(limit, ourDown)} | ${ratio(rcloneDown, ourDown)} | ${rss(ourDown)} |`,
        `| ${mib} MiB | the same download through undici | ${mbps(bytes, undiciDown)} | ${ratio(limit, undiciDown)} | ${ratio(rcloneDown, undiciDown)} | ${rss(undiciDown)} |`,
        `| ${mib} MiB | rclone download | ${mbps(bytes, rcloneDown)} | ${ratio(limit, rcloneDown)} | 1.00 | ${rss(rcloneDown)} |`,
      );
      transportChoice.push(`${mib} MiB: own client ${mbps(bytes, ourDown)} MB/s, undici ${mbps(bytes, undiciDown)} MB/s (undici ${ratio(undiciDown, ourDown)}× slower)`);
      for (const path of [source, copy, ourTarget, undiciTarget, rcloneTarget]) await rm(path, { force: true });
    }

    console.log(`B2Store vs rclone ${execFileSync('rclone', ['version'], { encoding: 'utf8' }).split('\n')[0]} through the local B2 server;`);
    console.log(`parts ${PART_SIZE / MiB} MiB, ${CONCURRENCY} at a time (rclone: same chunk size and cutoff, --transfers ${CONCURRENCY});`);
    console.log(`downloads in ${DOWNLOAD_SEGMENT / MiB} MiB ranged segments, ${CONCURRENCY} at a time (rclone: --multi-thread-streams 4);`);
    console.log(`median of ${runs} runs; ratios are throughput relative to the local limit and to rclone (> 1 is faster).\n`);
    const baseline = await ours(b2, 'open', '', '');
    console.log(`Peak RSS of a child that only opens the store (Node + tsx + b2m): ${rss(baseline)} MiB.\n`);
    console.log('| file | transfer | MB/s | × local limit | × rclone | peak RSS (MiB) |');
    console.log('|---|---|---:|---:|---:|---:|');
    for (const row of rows) console.log(row);
    console.log(`\nDownload transport (undici ${undiciVersion()}): ${transportChoice.join('; ')}.`);
    console.log('b2m keeps its own client where undici is more than 10 % slower.');
  } finally {
    await b2.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') {
  childMain(JSON.parse(process.argv[3] ?? '{}') as ChildRequest).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
