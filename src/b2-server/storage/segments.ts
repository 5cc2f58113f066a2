import type { ByteRange } from '../http/http-io';
import type { Segment } from './model';

/** The segments that hold bytes `range` (inclusive) of content made of `segments`. */
export function sliceSegments(segments: readonly Segment[], range: ByteRange): Segment[] {
  const sliced: Segment[] = [];
  let start = 0;
  for (const segment of segments) {
    if (start > range.end) break;
    const from = Math.max(range.start, start);
    const to = Math.min(range.end + 1, start + segment.length);
    if (from < to) sliced.push({ path: segment.path, offset: segment.offset + (from - start), length: to - from });
    start += segment.length;
  }
  return sliced;
}
