import type { RemoteVersion } from '../store/store';

/** The file info b2m attaches to every database version it uploads (keys are B2 file-info keys). */
export interface VersionMetadata {
  /** Version id this one was built on; absent for a database's first version. */
  parent?: string;
  /** Lock id held during the upload. */
  lock?: string;
  author?: string;
  /** Newest migration id recorded in this version. */
  migration?: string;
  /** Version id this one restores, for `b2m restore`. */
  restoredFrom?: string;
  tool?: string;
}

const KEYS: Record<keyof VersionMetadata, string> = {
  parent: 'b2m-parent',
  lock: 'b2m-lock',
  author: 'b2m-author',
  migration: 'b2m-migration',
  restoredFrom: 'b2m-restored-from',
  tool: 'b2m-tool',
};

export function encodeVersionInfo(meta: VersionMetadata): Record<string, string> {
  const info: Record<string, string> = {};
  for (const [field, key] of Object.entries(KEYS) as Array<[keyof VersionMetadata, string]>) {
    const value = meta[field];
    if (value !== undefined && value !== '') info[key] = value;
  }
  return info;
}

export function decodeVersionInfo(info: Record<string, string>): VersionMetadata {
  const meta: VersionMetadata = {};
  for (const [field, key] of Object.entries(KEYS) as Array<[keyof VersionMetadata, string]>) {
    if (info[key] !== undefined) meta[field] = info[key];
  }
  return meta;
}

/** One uploaded version of a database, as history and the tree show it. */
export interface DatabaseVersion extends VersionMetadata {
  id: string;
  name: string;
  size: number;
  uploadTimestamp: number;
  sha1?: string;
}

export function toDatabaseVersion(v: RemoteVersion): DatabaseVersion {
  return { id: v.id, name: v.name, size: v.size, uploadTimestamp: v.uploadTimestamp, ...(v.sha1 ? { sha1: v.sha1 } : {}), ...decodeVersionInfo(v.info) };
}
