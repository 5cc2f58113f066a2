import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { throwIfAborted } from '../errors';

/**
 * A hash of a database's content that does not change when only its bookkeeping does: the
 * journal mode bytes (WAL or rollback), the change counter, the "version valid for" number and
 * the SQLite version that last wrote it, and bytes past the page count the header records. A
 * database captured through a consistent snapshot while a program held it open in WAL mode has
 * the same fingerprint as the file that program leaves behind once it checkpoints and closes.
 */
export async function contentFingerprint(path: string, signal?: AbortSignal): Promise<string> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const header = Buffer.alloc(100);
    const { bytesRead } = await file.read(header, 0, 100, 0);
    const hash = createHash('sha256');
    let length = size;
    if (bytesRead === 100) {
      const rawPageSize = header.readUInt16BE(16);
      const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
      const pageCount = header.readUInt32BE(28);
      if (pageCount > 0 && header.readUInt32BE(92) === header.readUInt32BE(24)) length = Math.min(size, pageCount * pageSize);
      for (const [start, end] of [[18, 20], [24, 28], [92, 100]] as const) header.fill(0, start, end);
      hash.update(header);
    } else {
      hash.update(header.subarray(0, bytesRead));
    }
    const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
    for (let position = bytesRead; position < length; ) {
      throwIfAborted(signal);
      const { bytesRead: n } = await file.read(buffer, 0, Math.min(buffer.length, length - position), position);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      position += n;
    }
    return hash.digest('hex');
  } finally {
    await file.close();
  }
}
