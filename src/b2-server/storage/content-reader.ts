import { createReadStream } from 'node:fs';
import type { DataStore } from './data-store';
import type { ByteRange } from '../http/http-io';
import type { Segment } from './model';
import { sliceSegments } from './segments';

const READ_CHUNK_BYTES = 1024 * 1024;

/** Streams a byte range of stored content across its segments. */
export async function* readContent(store: DataStore, segments: readonly Segment[], range: ByteRange): AsyncGenerator<Buffer> {
  for (const { path, offset, length } of sliceSegments(segments, range)) {
    const stream = createReadStream(store.absolute(path), { start: offset, end: offset + length - 1, highWaterMark: READ_CHUNK_BYTES });
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  }
}
