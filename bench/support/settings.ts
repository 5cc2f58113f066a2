// What the benchmarks share: the database's name, how many runs, the throttled link.

/** The database every benchmark publishes. */
export const DATABASE = 'content.db';

/** Runs of each measurement that takes under a minute (B2M_BENCH_RUNS, 3 by default). */
export const RUNS = Number(process.env.B2M_BENCH_RUNS ?? 3);

/** The throttled link: 10 MB/s (decimal), shared by every connection, both directions. */
export const THROTTLED_BYTES_PER_SECOND = 10_000_000;

/** A database size in MB: the environment variable's, or the benchmark's own default. */
export function megabytes(variable: string, fallback: number): number {
  return Number(process.env[variable] ?? fallback);
}
