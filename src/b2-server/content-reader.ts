import { createReadStream } from 'node:fs';
import type { DataStore } from './data-store';
import type { ByteRange } from './http-io';
import type { FileRecord } from './model';

const READ_CHUNK_BYTES = 1024 * 1024;

/** The part of one stored file (a simple file's content, or one part of a large file) that a range covers. */
export interface StoredPiece {
  path: string;
  /** Positions in the stored file, `end` inclusive. */
  start: number;
  end: number;
}

/** The stored files, and the bytes of each, that make up a byte range of `file`. */
export function* storedPieces(store: DataStore, file: FileRecord, range: ByteRange): Generator<StoredPiece> {
  let segmentStart = 0;
  for (const segment of file.segments) {
    const segmentEnd = segmentStart + segment.length - 1;
    if (segment.length > 0 && segmentEnd >= range.start && segmentStart <= range.end) {
      const start = Math.max(range.start, segmentStart) - segmentStart;
      yield { path: store.absolute(segment.path), start, end: Math.min(range.end, segmentEnd) - segmentStart };
    }
    segmentStart += segment.length;
    if (segmentStart > range.end) return;
  }
}

/** Streams a byte range of a stored file across its segments (one file, or the parts of a large file). */
export async function* readContent(store: DataStore, file: FileRecord, range: ByteRange): AsyncGenerator<Buffer> {
  for (const piece of storedPieces(store, file, range)) {
    const stream = createReadStream(piece.path, { start: piece.start, end: piece.end, highWaterMark: READ_CHUNK_BYTES });
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  }
}
