import type { TransferProgress } from '../../progress';
import { runPool } from '../transfer/worker-pool';
import type { HttpGet } from './http-get';
import type { RangeReader, Segment, SegmentSink } from './range-reader';

export interface SegmentsOptions {
  concurrency: number;
  /** An answer already open at the first segment's start: it serves that segment. */
  first?: HttpGet;
  onProgress?: TransferProgress;
  signal?: AbortSignal;
}

/**
 * Reads the segments into the sink, in order of position, `concurrency` at a time, each retried
 * and resumed on its own. Progress is the sum of the bytes stored, so it never goes back. The first
 * failure for good stops the others; every read has finished when this returns.
 */
export async function readSegments(reader: RangeReader, segments: readonly Segment[], sink: SegmentSink, options: SegmentsOptions): Promise<void> {
  const { onProgress } = options;
  const size = segments.reduce((sum, segment) => sum + segment.length, 0);
  let done = 0;
  const counting: SegmentSink = {
    write: (position, bytes) => sink.write(position, bytes),
    written: (bytes) => {
      done += bytes;
      onProgress?.(done, size);
      sink.written?.(bytes);
    },
  };
  onProgress?.(0, size);
  await runPool(
    segments,
    options.concurrency,
    (segment, signal) => reader.read(segment, counting, signal, segment === segments[0] ? options.first : undefined),
    `downloading ${reader.label}`,
    options.signal,
  );
}
