import { createHash } from 'node:crypto';
import { RemoteError } from '../../errors';
import { sha1OfDownload, versionOfDownload } from '../b2/download-headers';
import type { RemoteVersion, TransferOptions } from '../store';
import { integrityError } from './download-to-file';
import type { RangeReader } from './range-reader';

/** Downloads a small file into memory, checking its SHA-1. */
export async function downloadBytes(reader: RangeReader, options: TransferOptions = {}): Promise<{ bytes: Buffer; headers: Record<string, string | undefined> }> {
  const { bytes, headers } = await reader.readAll(options.signal);
  const sha1 = createHash('sha1').update(bytes).digest('hex');
  const expected = sha1OfDownload(headers);
  if (expected && expected !== sha1) throw integrityError(reader.label, sha1, expected);
  options.onProgress?.(bytes.length, bytes.length);
  return { bytes, headers };
}

/** Downloads the newest visible version of a small file by name, or undefined if there is none (404). */
export async function downloadBytesByName(reader: RangeReader, name: string, options: TransferOptions = {}): Promise<{ bytes: Buffer; version: RemoteVersion } | undefined> {
  try {
    const { bytes, headers } = await downloadBytes(reader, options);
    return { bytes, version: versionOfDownload(name, headers) };
  } catch (error) {
    if (error instanceof RemoteError && error.status === 404) return undefined;
    throw error;
  }
}
