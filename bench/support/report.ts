// What every benchmark prints: progress on stderr, Markdown tables and target lines on stdout.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';

const started = performance.now();

/** One line of progress on stderr, with the time since the benchmark started. */
export function progress(message: string): void {
  const s = Math.round((performance.now() - started) / 1000);
  process.stderr.write(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${message}\n`);
}

/** The median and the range of a few runs. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('no runs to summarize');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted.at(-1) as number, runs: sorted.length };
}

/** Seconds with a precision that suits them: 0.042 s, 1.23 s, 12.3 s, 123 s. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  if (s < 1) return `${s.toFixed(3)} s`;
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 100) return `${s.toFixed(1)} s`;
  return `${s.toFixed(0)} s`;
}

/** Bytes in decimal units (1 MB = 1,000,000 bytes, as bandwidths are quoted). */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = n / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ${units[unit]}`;
}

/** "1.23 s (1.10–1.40)": the median, then the range when there was more than one run. */
export function medianAndRange(summary: Summary, format: (n: number) => string): string {
  if (summary.runs === 1) return `${format(summary.median)} (1 run)`;
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`;
}

export function percent(part: number, whole: number): string {
  const p = (100 * part) / whole;
  return `${p < 0.1 ? p.toFixed(3) : p < 10 ? p.toFixed(2) : p.toFixed(1)} %`;
}

export function ratio(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×`;
}

/** The phases of a sync in the order they start; names the engine adds later come after them. */
const PHASE_ORDER = ['inspect', 'read head', 'download', 'migrate', 'verify', 'compare', 'overlap', 'publish', 'install'];

/** Every phase name seen in these syncs, in PHASE_ORDER. */
export function phaseNames(phases: ReadonlyArray<Record<string, number>>): string[] {
  const seen = new Set(phases.flatMap((p) => Object.keys(p)));
  const known = PHASE_ORDER.filter((name) => seen.has(name));
  return [...known, ...[...seen].filter((name) => !PHASE_ORDER.includes(name))];
}

/** "inspect 0.21 s, migrate 1.10 s, …": the phases of a sync, in order. */
export function phaseList(phases: Record<string, number>): string {
  return phaseNames([phases])
    .map((name) => `${name} ${seconds(phases[name] ?? 0)}`)
    .join(', ');
}

/** A Markdown table; the first row holds the headers. Columns after the first are right-aligned when `numeric`. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, numeric = new Set<number>()): string {
  const align = headers.map((_, i) => (numeric.has(i) ? '---:' : '---'));
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(headers), `|${align.join('|')}|`, ...rows.map(line)].join('\n');
}

/** A target's verdict, one line: "- target: …: **met** (figures)". */
export interface Verdict {
  target: string;
  met: boolean;
  figures: string;
}

export function verdictLine(v: Verdict): string {
  return `- ${v.target}: **${v.met ? 'met' : 'missed'}** (${v.figures})`;
}

/** The machine's state beside the figures: cores, load average, tool versions. */
export function machineLine(): string {
  const rclone = execFileSync('rclone', ['version'], { encoding: 'utf8' }).split('\n')[0] ?? 'rclone';
  return `Node ${process.version}, ${rclone}, Python ${execFileSync('python3', ['-c', 'import sys, sqlite3; print(sys.version.split()[0], "/ SQLite", sqlite3.sqlite_version)'], { encoding: 'utf8' }).trim()}; load average ${loadAverage()}`;
}

/** The 1, 5 and 15 minute load averages (2 cores here: above 2, others' jobs compete). */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}
