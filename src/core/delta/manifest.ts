import { databaseKey } from '../config';

/**
 * What b2m publishes beside every database version it uploads: enough to fetch only the blocks
 * that changed and to know which migrations the version holds without downloading it.
 * Content-addressed: named by the version's SHA-1, so identical content shares one manifest.
 */
export interface Manifest {
  /** Whole-file SHA-1 (hex) of the version. */
  sha1: string;
  size: number;
  /** Bytes per block; the last block may be shorter. */
  blockSize: number;
  /** The short hash of every block (`hashBlock`), concatenated, HASH_BYTES each. */
  blockHashes: Buffer;
  /** Migrations recorded in the version's `_b2m_migrations`, in id order. */
  migrations: ManifestMigration[];
}

export interface ManifestMigration {
  id: string;
  name: string;
  checksum: string;
}

/** Fixed for every version, so that any two versions compare block by block. */
export const BLOCK_SIZE = 256 * 1024;
export const HASH_BYTES = 16;
const FORMAT = 'b2m-manifest/1';

export function blockCount(size: number, blockSize: number): number {
  return Math.ceil(size / blockSize);
}

export function blockHash(manifest: Pick<Manifest, 'blockHashes'>, index: number): Buffer {
  return manifest.blockHashes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
}

/** `<prefix>.b2m/manifests/<db>/<sha1>.json` */
export function manifestName(prefix: string, database: string, sha1: string): string {
  return `${prefix}.b2m/manifests/${databaseKey(database)}/${sha1}.json`;
}

export function encodeManifest(manifest: Manifest): Buffer {
  const { sha1, size, blockSize, migrations } = manifest;
  return Buffer.from(`${JSON.stringify({ format: FORMAT, sha1, size, blockSize, blockHashes: manifest.blockHashes.toString('base64'), migrations })}\n`);
}

/**
 * Parses a manifest and checks that it describes the version it is meant for; anything else
 * (another format, a damaged file, another size or SHA-1) is undefined: the caller then falls
 * back to a whole download, which is always verified.
 */
export function decodeManifest(bytes: Buffer, expected: { sha1: string; size?: number }): Manifest | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  if (o.format !== FORMAT || o.sha1 !== expected.sha1) return undefined;
  const { size, blockSize } = o;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
  if (expected.size !== undefined && size !== expected.size) return undefined;
  if (typeof blockSize !== 'number' || !Number.isSafeInteger(blockSize) || blockSize <= 0) return undefined;
  if (typeof o.blockHashes !== 'string') return undefined;
  const blockHashes = Buffer.from(o.blockHashes, 'base64');
  if (blockHashes.length !== blockCount(size, blockSize) * HASH_BYTES) return undefined;
  const migrations = parseMigrations(o.migrations);
  if (!migrations) return undefined;
  return { sha1: expected.sha1, size, blockSize, blockHashes, migrations };
}

function parseMigrations(value: unknown): ManifestMigration[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: ManifestMigration[] = [];
  for (const m of value as unknown[]) {
    if (typeof m !== 'object' || m === null) return undefined;
    const { id, name, checksum } = m as Record<string, unknown>;
    if (typeof id !== 'string' || typeof name !== 'string' || typeof checksum !== 'string') return undefined;
    out.push({ id, name, checksum });
  }
  return out;
}
