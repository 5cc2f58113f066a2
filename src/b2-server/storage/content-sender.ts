import { open, type FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { Pacer } from '../http/bandwidth';
import type { DataStore } from './data-store';
import type { ByteRange } from '../http/http-io';
import type { Segment } from './model';
import { sliceSegments } from './segments';

const CHUNK_BYTES = 1024 * 1024;
/** Chunk buffers kept between downloads (two per download in flight). */
const KEPT_CHUNKS = 8;
const spareChunks: Buffer[] = [];

/**
 * Sends a byte range of a stored file at the pace of the link, then ends the response. Each chunk
 * is read into one of two buffers, which are reused: the next chunk is read while the other is
 * being sent. A buffer per chunk (a read stream) makes fresh memory and garbage collection the
 * main cost of serving.
 */
export async function sendContent(store: DataStore, segments: readonly Segment[], range: ByteRange, res: ServerResponse, pace: Pacer): Promise<void> {
  const buffers = [spareChunks.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES), spareChunks.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES)];
  for (const { path, offset, length } of sliceSegments(segments, range)) {
    const handle = await open(store.absolute(path), 'r');
    try {
      await sendPiece(handle, offset, offset + length, buffers, res, pace);
    } finally {
      await handle.close();
    }
  }
  // Spares only after a clean end: after a failure a buffer may still be queued on the dead socket.
  spareChunks.push(...buffers.slice(0, KEPT_CHUNKS - spareChunks.length));
  res.end();
}

async function sendPiece(handle: FileHandle, start: number, end: number, buffers: Buffer[], res: ServerResponse, pace: Pacer): Promise<void> {
  const read = async (buffer: Buffer, position: number): Promise<Buffer> => {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
    if (bytesRead === 0) throw new Error(`A stored file ends at byte ${position}, before ${end}.`);
    return buffer.subarray(0, bytesRead);
  };
  let position = start;
  let next: Promise<Buffer> | undefined = read(buffers[0] as Buffer, position);
  try {
    for (let turn = 1; next !== undefined; turn++) {
      const chunk = await next;
      position += chunk.length;
      next = position < end ? read(buffers[turn % 2] as Buffer, position) : undefined;
      for await (const slice of pace([chunk])) await written(res, slice);
    }
  } finally {
    await next?.catch(() => undefined); // no read may be left running on the handle about to close
  }
}

/** Resolves once `chunk` went to the socket; rejects when the connection closes first. */
function written(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const closed = (): void => reject(new Error('The client closed the connection.'));
    res.once('close', closed);
    res.write(chunk, (error) => {
      res.off('close', closed);
      if (error) reject(error);
      else resolve();
    });
  });
}
