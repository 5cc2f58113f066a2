import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { throwIfAborted } from '../errors';

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
    const buffers = [Buffer.allocUnsafe(READ_SIZE), Buffer.allocUnsafe(READ_SIZE)];
    let size = 0;
    let turn = 0;
    let pending = handle.read(buffers[0]!, 0, READ_SIZE, 0);
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      throwIfAborted(signal);
      size += bytesRead;
      turn ^= 1;
      pending = handle.read(buffers[turn]!, 0, READ_SIZE, size);
      const chunk = buffer.subarray(0, bytesRead);
      whole.update(chunk);
      if (part && partSize) {
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
      }
    }
    if (part && partFilled > 0) partSha1s.push(part.digest('hex'));
    return { size, sha1: whole.digest('hex'), partSha1s };
  } finally {
    await handle.close();
  }
}
