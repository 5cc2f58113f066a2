import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { throwIfAborted } from '../errors';
import { blockCount, HASH_BYTES } from './manifest';

/** What one read of a file tells: its SHA-1, and per block a short hash and whether it differs from a reference. */
export interface BlockScan {
  sha1: string;
  size: number;
  blockSize: number;
  /** HASH_BYTES per block, concatenated. */
  blockHashes: Buffer;
  /** Per block: true when it differs from the reference file (or lies beyond its end); all true without one. */
  changed: boolean[];
}

/** A file whose block hashes are already known: equal blocks reuse them instead of hashing again. */
export interface ScanReference {
  path: string;
  blockHashes: Buffer;
}

/** Blocks read per system call; a multiple of any block size used. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/** The short hash of one block: SHA-256 (hardware-accelerated where SHA-1 is not), first HASH_BYTES bytes. */
export function hashBlock(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest().subarray(0, HASH_BYTES);
}

/**
 * Reads `path` once, side by side with the reference if given, through two reused buffers: the
 * whole-file SHA-1, every block's hash (reused from the reference where the bytes are equal), and
 * which blocks changed. Memory stays at two chunks whatever the size.
 */
export async function scanBlocks(path: string, blockSize: number, options: { reference?: ScanReference; signal?: AbortSignal } = {}): Promise<BlockScan> {
  const { reference, signal } = options;
  const chunkBytes = Math.max(blockSize, Math.floor(CHUNK_BYTES / blockSize) * blockSize);
  const file = await open(path, 'r');
  const ref = reference ? await open(reference.path, 'r') : undefined;
  try {
    const size = (await file.stat()).size;
    const refSize = ref ? (await ref.stat()).size : 0;
    const blocks = blockCount(size, blockSize);
    const blockHashes = Buffer.alloc(blocks * HASH_BYTES);
    const changed = new Array<boolean>(blocks).fill(true);
    const whole = createHash('sha1');
    const buffer = Buffer.allocUnsafe(chunkBytes);
    const refBuffer = ref ? Buffer.allocUnsafe(chunkBytes) : undefined;
    for (let offset = 0; offset < size; offset += chunkBytes) {
      throwIfAborted(signal);
      const length = await readFully(file, buffer, Math.min(chunkBytes, size - offset), offset);
      const refLength = ref && refBuffer && offset < refSize ? await readFully(ref, refBuffer, Math.min(chunkBytes, refSize - offset), offset) : 0;
      whole.update(buffer.subarray(0, length));
      for (let at = 0; at < length; at += blockSize) {
        const index = (offset + at) / blockSize;
        const bytes = buffer.subarray(at, Math.min(at + blockSize, length));
        const same = refBuffer !== undefined && reference !== undefined && at + bytes.length <= refLength && isSameBlockLength(offset + at, bytes.length, refSize, blockSize) && bytes.equals(refBuffer.subarray(at, at + bytes.length));
        if (same) {
          reference.blockHashes.copy(blockHashes, index * HASH_BYTES, index * HASH_BYTES, (index + 1) * HASH_BYTES);
          changed[index] = false;
        } else {
          hashBlock(bytes).copy(blockHashes, index * HASH_BYTES);
        }
      }
    }
    return { sha1: whole.digest('hex'), size, blockSize, blockHashes, changed };
  } finally {
    await Promise.all([file.close(), ref?.close()]);
  }
}

/** A block equals its reference only if the reference's block has the same length (a shorter last block differs). */
function isSameBlockLength(start: number, length: number, refSize: number, blockSize: number): boolean {
  return Math.min(blockSize, refSize - start) === length;
}

async function readFully(file: FileHandle, buffer: Buffer, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}
