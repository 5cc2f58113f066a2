/**
 * Benchmark of the b2m differ against native `sqldiff --primarykey`.
 *
 *   node --import tsx bench/diff.bench.ts [--runs N]
 *
 * Generates once (cached under the OS temp folder) a ~100 MB database with 1,000,000 rows in five
 * tables (INTEGER PRIMARY KEY, composite key, WITHOUT ROWID, no key), a copy with 1% of the rows
 * changed (updates, inserts, deletes spread over every table) and an identical copy. Times both
 * tools on both pairs, SQL written to a file, each run in its own process so that its peak memory
 * (maximum resident set size, from /usr/bin/time -v) is its own; prints a Markdown table.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { writeDiffSql } from '../src/core/diff/index';

const DIR = join(tmpdir(), 'b2m-diff-bench-v2');
const BASE = join(DIR, 'base.db');
const CHANGED = join(DIR, 'changed.db');
const SAME = join(DIR, 'same.db');

const SCHEMA_AND_ROWS = `
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -200000;
BEGIN;
CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, email TEXT, score REAL, created INTEGER);
CREATE TABLE events(id INTEGER PRIMARY KEY, user_id INTEGER, kind TEXT, payload TEXT, at INTEGER);
CREATE TABLE tags(user_id INTEGER, tag TEXT, weight REAL, PRIMARY KEY(user_id, tag));
CREATE TABLE settings(key TEXT PRIMARY KEY, value BLOB, updated INTEGER) WITHOUT ROWID;
CREATE TABLE log(at INTEGER, line TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
  INSERT INTO users SELECT i, 'user ' || i, 'u' || i || '@example.com', (i * 7919 % 100000) / 7.0, 1700000000 + i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000)
  INSERT INTO events SELECT i, 1 + i % 300000, 'kind' || (i % 17), hex(randomblob(72)), 1700000000 + i * 3 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000)
  INSERT INTO tags SELECT 1 + i % 300000, 'tag' || (i % 97) || '-' || i, i / 3.0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
  INSERT INTO settings SELECT 'setting.' || i, randomblob(40), 1700000000 + i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
  INSERT INTO log SELECT 1700000000 + i, 'log line ' || hex(randomblob(32)) FROM n;
COMMIT;
`;

// 1% of each table's rows: half updated, a quarter deleted, a quarter inserted.
const CHANGES = `
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
BEGIN;
UPDATE users SET score = score + 0.5, name = name || ' (edited)' WHERE id % 200 = 7;
DELETE FROM users WHERE id % 400 = 11;
INSERT INTO users SELECT id + 1000000, name, email, score, created FROM users WHERE id % 400 = 13;
UPDATE events SET payload = hex(randomblob(72)) WHERE id % 200 = 3;
DELETE FROM events WHERE id % 400 = 5;
INSERT INTO events SELECT id + 1000000, user_id, kind, payload, at FROM events WHERE id % 400 = 9;
UPDATE tags SET weight = weight * 2 WHERE rowid % 200 = 1;
DELETE FROM tags WHERE rowid % 400 = 2;
INSERT INTO tags SELECT user_id, tag || '+', weight FROM tags WHERE rowid % 400 = 3;
UPDATE settings SET value = randomblob(40) WHERE updated % 200 = 4;
DELETE FROM settings WHERE updated % 400 = 6;
INSERT INTO settings SELECT key || '.new', value, updated FROM settings WHERE updated % 400 = 8;
UPDATE log SET line = line || '!' WHERE rowid % 200 = 5;
DELETE FROM log WHERE rowid % 400 = 7;
INSERT INTO log SELECT at, line FROM log WHERE rowid % 400 = 9;
COMMIT;
`;

function prepare(): void {
  if (existsSync(BASE) && existsSync(CHANGED) && existsSync(SAME)) return;
  mkdirSync(DIR, { recursive: true });
  const building = join(DIR, 'building.db');
  rmSync(building, { force: true });
  console.error(`Generating ${BASE} ...`);
  execFileSync('sqlite3', [building], { input: SCHEMA_AND_ROWS, stdio: ['pipe', 'ignore', 'inherit'] });
  renameSync(building, BASE);
  copyFileSync(BASE, SAME);
  copyFileSync(BASE, building);
  execFileSync('sqlite3', [building], { input: CHANGES, stdio: ['pipe', 'ignore', 'inherit'] });
  renameSync(building, CHANGED);
}

interface Measurement {
  seconds: number;
  peakMb: number;
  outputBytes: number;
}

/** Runs a command under /usr/bin/time -v, stdout to `output`. */
function timed(command: string[], output: string): Measurement {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-v', 'sh', '-c', `exec "$@" > "${output}"`, 'sh', ...command], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed: ${result.stderr}`);
  const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1]);
  const reported = /^b2m-seconds=([\d.]+)$/m.exec(result.stderr)?.[1];
  return { seconds: reported === undefined ? seconds : Number(reported), peakMb: peakKb / 1024, outputBytes: statSync(output).size };
}

function median(values: Measurement[]): Measurement {
  return [...values].sort((x, y) => x.seconds - y.seconds)[Math.floor(values.length / 2)]!;
}

/** Child-process mode: diff A and B, SQL to stdout, time (sql.js start-up included) to stderr. */
async function runOurs(a: string, b: string): Promise<void> {
  const started = process.hrtime.bigint();
  const out = createWriteStream('', { fd: 1 });
  await writeDiffSql(a, b, async (text) => {
    if (!out.write(text)) await once(out, 'drain');
  });
  out.end();
  await once(out, 'finish');
  process.stderr.write(`b2m-seconds=${Number(process.hrtime.bigint() - started) / 1e9}\n`);
}

/**
 * This file bundled like the shipped CLI (plain JavaScript, no TypeScript loader at run time),
 * written next to node_modules so that sql.js and its wasm resolve as they do in production.
 */
function bundleOfThisFile(): string {
  const outfile = resolve('node_modules/.cache/b2m-bench/diff-bench.cjs');
  buildSync({ entryPoints: [process.argv[1]!], bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['sql.js'], loader: { '.py': 'text' }, outfile, logLevel: 'error' });
  return outfile;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return runOurs(args[1]!, args[2]!);
  const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
  prepare();
  const sizeMb = statSync(BASE).size / 2 ** 20;
  const ours = [process.execPath, bundleOfThisFile(), '--child'];
  const rows: string[] = [];
  for (const [label, other] of [
    ['1% of rows changed', CHANGED],
    ['identical copy', SAME],
  ] as const) {
    const sqldiffRuns: Measurement[] = [];
    const ourRuns: Measurement[] = [];
    for (let i = 0; i < runs; i++) {
      sqldiffRuns.push(timed(['sqldiff', '--primarykey', BASE, other], join(DIR, 'sqldiff.sql')));
      ourRuns.push(timed([...ours, BASE, other], join(DIR, 'b2m.sql')));
    }
    const theirs = median(sqldiffRuns);
    const mine = median(ourRuns);
    rows.push(
      `| ${label} | sqldiff --primarykey | ${theirs.seconds.toFixed(2)} | 1.00 | ${theirs.peakMb.toFixed(0)} | ${(theirs.outputBytes / 2 ** 20).toFixed(2)} |`,
      `| ${label} | b2m (sql.js) | ${mine.seconds.toFixed(2)} | ${(mine.seconds / theirs.seconds).toFixed(2)} | ${mine.peakMb.toFixed(0)} | ${(mine.outputBytes / 2 ** 20).toFixed(2)} |`,
    );
  }
  console.log(`Database: ${sizeMb.toFixed(0)} MB, 1,000,000 rows in 5 tables; median of ${runs} runs; b2m time measured in its process (sql.js start-up and file reading included, Node start-up not).\n`);
  console.log('| pair | tool | seconds | × sqldiff | peak RSS (MB) | SQL (MB) |');
  console.log('|---|---|---|---|---|---|');
  console.log(rows.join('\n'));
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
