import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { BadInputError, throwIfAborted } from '../errors';

export interface FileDigest {
  size: number;
  /** Whole-file SHA-1, hex. */
  sha1: string;
  /** SHA-1 of each `partSize` slice, in order (empty when no part size was asked for). */
  partSha1s: string[];
}

const READ_SIZE = 4 * 1024 * 1024;

/**
 * Hashes a file in one sequential pass: the whole file and, when `partSize` is given, each part.
 * Reads overlap with hashing (two buffers), so the pass runs at the speed of SHA-1.
 */
export async function digestFile(path: string, partSize?: number, signal?: AbortSignal): Promise<FileDigest> {
  const handle = await open(path, 'r');
  try {
    const whole = createHash('sha1');
    const partSha1s: string[] = [];
    let part: Hash | undefined = partSize ? createHash('sha1') : undefined;
    let partFilled = 0;
    const size = await readChunks(handle, 0, Infinity, signal, (chunk) => {
      whole.update(chunk);
      if (!part || !partSize) return;
      for (let offset = 0; offset < chunk.length; ) {
        const take = Math.min(partSize - partFilled, chunk.length - offset);
        part.update(chunk.subarray(offset, offset + take));
        partFilled += take;
        offset += take;
        if (partFilled === partSize) {
          partSha1s.push(part.digest('hex'));
          part = createHash('sha1');
          partFilled = 0;
        }
      }
    });
    if (part && partFilled > 0) partSha1s.push(part.digest('hex'));
    return { size, sha1: whole.digest('hex'), partSha1s };
  } finally {
    await handle.close();
  }
}

/** The SHA-1 (hex) of `length` bytes of a file from `start`; a file that ends before them is refused. */
export async function digestRange(path: string, start: number, length: number, signal?: AbortSignal): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha1');
    const read = await readChunks(handle, start, length, signal, (chunk) => hash.update(chunk));
    if (read < length) {
      throw new BadInputError(
        `${path} ends before bytes ${start}-${start + length - 1} (it has ${start + read} bytes).`,
        'The file changed while it was being uploaded; try again.',
      );
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

/** Feeds up to `length` bytes from `start` to `onChunk`, reading the next while it runs; returns the bytes read. */
async function readChunks(handle: FileHandle, start: number, length: number, signal: AbortSignal | undefined, onChunk: (chunk: Buffer) => void): Promise<number> {
  const buffers = [Buffer.allocUnsafe(READ_SIZE), Buffer.allocUnsafe(READ_SIZE)];
  const readAt = (turn: number, done: number): Promise<{ bytesRead: number; buffer: Buffer }> =>
    handle.read(buffers[turn]!, 0, Math.min(READ_SIZE, length - done), start + done);
  if (length <= 0) return 0;
  let done = 0;
  let turn = 0;
  let pending = readAt(0, 0);
  for (;;) {
    const { bytesRead, buffer } = await pending;
    if (bytesRead === 0) break;
    throwIfAborted(signal);
    done += bytesRead;
    turn ^= 1;
    const more = done < length;
    if (more) pending = readAt(turn, done);
    onChunk(buffer.subarray(0, bytesRead));
    if (!more) break;
  }
  return done;
}
