import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Hex digest of a file's bytes, read as a stream so large databases never sit in memory. */
async function hashFile(algorithm: 'sha1' | 'sha256', path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Streaming SHA-1 (the hash B2 keeps for every version) of a file, in lower-case hex. */
export function sha1File(path: string, signal?: AbortSignal): Promise<string> {
  return hashFile('sha1', path, signal);
}

/** Streaming SHA-256 of a file, in lower-case hex (checksums of migration scripts). */
export function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  return hashFile('sha256', path, signal);
}
