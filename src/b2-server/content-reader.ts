import { createReadStream } from 'node:fs';
import type { DataStore } from './data-store';
import type { ByteRange } from './http-io';
import type { FileRecord } from './model';

const READ_CHUNK_BYTES = 1024 * 1024;

/** Streams a byte range of a stored file across its segments (one file, or the parts of a large file). */
export async function* readContent(store: DataStore, file: FileRecord, range: ByteRange): AsyncGenerator<Buffer> {
  let segmentStart = 0;
  for (const segment of file.segments) {
    const segmentEnd = segmentStart + segment.length - 1;
    if (segment.length > 0 && segmentEnd >= range.start && segmentStart <= range.end) {
      const stream = createReadStream(store.absolute(segment.path), {
        start: Math.max(range.start, segmentStart) - segmentStart,
        end: Math.min(range.end, segmentEnd) - segmentStart,
        highWaterMark: READ_CHUNK_BYTES,
      });
      for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
    }
    segmentStart += segment.length;
    if (segmentStart > range.end) return;
  }
}
