import type { TransferProgress } from '../progress';
import type { B2Session } from './b2-session';
import type { BodyTransport, DownloadResponse } from './download-response';
import { fetchSegment, type Segment, type SegmentSink, type VersionRef } from './download-segment';
import { runPool } from './transfer/worker-pool';

export interface SegmentPlan {
  /** Bytes per ranged request; files of at least two segments are downloaded in parallel. */
  segmentSize: number;
  /** Segments downloaded at the same time. */
  concurrency: number;
  /** Bodies arrive over connections of their own (fast), not through the HTTP client (which honours proxies). */
  direct: boolean;
  /** Direct connections that receive nothing for this long are dropped and resumed. */
  idleTimeoutMs: number;
}

export interface SegmentsRequest {
  concurrency: number;
  /** A response already open from the first segment's start: it serves that segment. */
  first?: DownloadResponse;
  /** Where the bytes go. */
  sink: SegmentSink;
  /** How every segment receives its bytes. */
  transport: BodyTransport;
  onProgress?: TransferProgress;
  signal?: AbortSignal;
}

/** One segment for a small file; `segmentSize` slices for a file of two segments or more. */
export function planSegments(size: number, plan: SegmentPlan): Segment[] {
  if (plan.concurrency < 2 || size < 2 * plan.segmentSize) return [{ start: 0, length: size, done: 0 }];
  return Array.from({ length: Math.ceil(size / plan.segmentSize) }, (_, i) => {
    const start = i * plan.segmentSize;
    return { start, length: Math.min(plan.segmentSize, size - start), done: 0 };
  });
}

/** Bytes from the start of the file that are all on disk. */
export function contiguousDone(segments: readonly Segment[]): number {
  let bytes = 0;
  for (const segment of segments) {
    bytes += segment.done;
    if (segment.done < segment.length) break;
  }
  return bytes;
}

/**
 * Fetches the segments into the sink, in order of position, by `concurrency` workers, each segment
 * retried and resumed on its own. Progress is the sum of the bytes stored, so it never goes back.
 * The first failure for good stops the other workers; every worker has finished when this returns.
 */
export async function fetchSegments(session: B2Session, version: VersionRef, segments: readonly Segment[], request: SegmentsRequest): Promise<void> {
  const { onProgress, sink } = request;
  const size = segments.reduce((sum, segment) => sum + segment.length, 0);
  let done = 0;
  const counting: SegmentSink = {
    write: (position, bytes) => sink.write(position, bytes),
    written: (bytes) => {
      done += bytes;
      onProgress?.(done, size);
      sink.written(bytes);
    },
  };
  onProgress?.(0, size);
  await runPool(
    segments,
    request.concurrency,
    (segment, signal) => fetchSegment(session, version, segment, counting, request.transport, signal, segment === segments[0] ? request.first : undefined),
    `downloading ${version.name}`,
    request.signal,
  );
}
