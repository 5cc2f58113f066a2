/**
 * Which byte ranges of a new version to upload and which to copy server-side from the version it
 * is built on. B2's rules: at least two parts, each at least `minPartSize` except the last, at most
 * `maxPartSize`, at most 10,000 parts. Changed regions smaller than a part are widened with
 * unchanged bytes around them; unchanged runs too short to be a part of their own are uploaded.
 */
export type PlannedPart = { kind: 'upload'; start: number; length: number } | { kind: 'copy'; start: number; length: number };

export interface PartPlanInput {
  /** Size of the new file. */
  size: number;
  blockSize: number;
  /** Per block of the new file: true when it differs from (or lies beyond) the source. */
  changed: readonly boolean[];
  minPartSize: number;
  maxPartSize?: number;
  maxParts?: number;
}

export const B2_MAX_PART_SIZE = 5_000_000_000;
export const B2_MAX_PARTS = 10_000;

/** The parts in file order, or undefined when the file is too small for a large file or nothing can be copied. */
export function planParts(input: PartPlanInput): PlannedPart[] | undefined {
  const { size, blockSize, changed, minPartSize } = input;
  const maxPartSize = input.maxPartSize ?? B2_MAX_PART_SIZE;
  const maxParts = input.maxParts ?? B2_MAX_PARTS;
  if (size < 2 * minPartSize) return undefined;
  const isChanged = (offset: number): boolean => changed[Math.floor(offset / blockSize)] !== false;
  /** Bytes from `offset` up to the next changed block (or the end of the file). */
  const cleanRun = (offset: number): number => {
    let end = offset;
    while (end < size && !isChanged(end)) end = Math.min(size, (Math.floor(end / blockSize) + 1) * blockSize);
    return end - offset;
  };
  const changedRunEnd = (offset: number): number => {
    let end = offset;
    while (end < size && isChanged(end)) end = Math.min(size, (Math.floor(end / blockSize) + 1) * blockSize);
    return end;
  };

  const parts: PlannedPart[] = [];
  let pos = 0;
  while (pos < size) {
    const clean = cleanRun(pos);
    // A short unchanged run may still be copied when it ends the file: the last part may be small.
    if (clean >= minPartSize || (clean > 0 && pos + clean === size && parts.length > 0)) {
      const length = Math.min(clean, maxPartSize);
      parts.push({ kind: 'copy', start: pos, length });
      pos += length;
      continue;
    }
    let end = Math.max(pos + minPartSize, changedRunEnd(pos));
    for (;;) {
      if (end >= size) break;
      if (isChanged(end)) {
        end = changedRunEnd(end);
        continue;
      }
      const next = cleanRun(end);
      if (next < minPartSize && end + next < size) {
        end += next; // too short to copy: upload it with the change that follows
        continue;
      }
      break;
    }
    end = Math.min(end, size, pos + maxPartSize);
    parts.push({ kind: 'upload', start: pos, length: end - pos });
    pos = end;
  }
  if (parts.length < 2 || parts.length > maxParts || !parts.some((p) => p.kind === 'copy')) return undefined;
  return parts;
}

/** Bytes the plan sends over the link. */
export function uploadedBytes(parts: readonly PlannedPart[]): number {
  return parts.reduce((sum, p) => sum + (p.kind === 'upload' ? p.length : 0), 0);
}
