import type { FileHandle } from 'node:fs/promises';
import { CancelledError } from '../errors';
import type { TransferProgress } from '../progress';
import type { B2Session } from './b2-session';
import type { BodyTransport, DownloadResponse } from './download-response';
import { fetchSegment, type Segment, type SegmentSink, type VersionRef } from './download-segment';

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
  /** The response already open from byte 0: it serves the first segment. */
  first: DownloadResponse;
  /** Receives every chunk and write (the hasher). */
  sink: SegmentSink;
  /** How every segment receives its bytes. */
  transport: BodyTransport;
  size: number;
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
 * Fetches the segments into `file`, in order of position, by `concurrency` workers, each segment
 * retried and resumed on its own. Progress is the sum of the bytes on disk, so it never goes back.
 * The first failure for good stops the other workers; every worker has finished when this returns.
 */
export async function fetchSegments(
  session: B2Session,
  version: VersionRef,
  file: FileHandle,
  segments: readonly Segment[],
  request: SegmentsRequest,
): Promise<void> {
  const { size, onProgress, sink } = request;
  const stopWorkers = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stopWorkers.signal]) : stopWorkers.signal;
  let done = 0;
  const counting: SegmentSink = {
    received: (position, chunk) => sink.received(position, chunk),
    written: (bytes) => {
      done += bytes;
      onProgress?.(done, size);
      sink.written(bytes);
    },
  };
  onProgress?.(0, size);

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < segments.length && !signal.aborted) {
      const index = next++;
      const first = index === 0 ? request.first : undefined;
      await fetchSegment(session, version, file, segments[index] as Segment, counting, request.transport, signal, first);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(request.concurrency, segments.length)) }, () =>
    worker().catch((error: unknown) => {
      stopWorkers.abort();
      throw error;
    }),
  );
  const results = await Promise.allSettled(workers);
  if (request.signal?.aborted) throw new CancelledError(`Cancelled downloading ${version.name}.`);
  // The first real failure, not the cancellations it caused in the other workers.
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const cause = failures.find((e) => !(e instanceof CancelledError)) ?? failures[0];
  if (cause !== undefined) throw cause;
}
