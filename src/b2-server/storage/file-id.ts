/**
 * File ids in B2's shape (`4_z<bucketId>_f<...>_d<date>_m<time>_c000_v0001000_t0001`). The
 * `f` field carries a server-wide sequence number taken when the upload starts, in fixed-width
 * hex, so ids of one bucket sort in upload-start order and the order of versions of a name can
 * be recovered from an id alone, even after that version was deleted (list paging needs this).
 */
const SEQUENCE_DIGITS = 15;
const ID_PATTERN = /_f[12]([0-9a-f]{15})_/;

export function makeFileId(bucketId: string, sequence: number, timestampMs: number, large: boolean): string {
  const iso = new Date(timestampMs).toISOString(); // 2024-01-02T03:04:05.678Z
  const date = iso.slice(0, 10).replace(/-/g, '');
  const time = iso.slice(11, 19).replace(/:/g, '');
  const seq = sequence.toString(16).padStart(SEQUENCE_DIGITS, '0');
  return `4_z${bucketId}_f${large ? 2 : 1}${seq}_d${date}_m${time}_c000_v0001000_t0001`;
}

/** The sequence number inside a file id, or undefined if the id is not one of ours. */
export function sequenceOfFileId(fileId: string): number | undefined {
  const match = ID_PATTERN.exec(fileId);
  return match?.[1] === undefined ? undefined : parseInt(match[1], 16);
}

/** Hands out increasing sequence numbers; starts above any id already stored and above the clock. */
export class SequenceCounter {
  private last = 0;

  observe(sequence: number): void {
    this.last = Math.max(this.last, sequence);
  }

  next(): number {
    // Seeding from the clock keeps ids unique across restarts even if the newest was deleted.
    this.last = Math.max(this.last + 1, Date.now() * 1000);
    return this.last;
  }
}
