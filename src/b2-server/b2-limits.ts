/** Limits of B2's large files (https://www.backblaze.com/docs/cloud-storage-large-files). */

/** The largest part, and the largest simple upload: 5 GB. */
export const MAX_PART_BYTES = 5 * 1000 ** 3;
/** Parts are numbered 1 to 10000. */
export const MAX_PART_NUMBER = 10_000;
/** b2sdk starts a large file only for two parts or more (emerge planner); a single part is refused. */
export const MIN_PARTS = 2;
