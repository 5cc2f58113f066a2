import type { RemoteVersion } from '../store';
import { decodeInfoValue } from './file-info';
import { wholeFileSha1 } from './json';

const INFO_HEADER = 'x-bz-info-';

/** The whole-file SHA-1 a download answer states: `X-Bz-Content-Sha1`, or `large_file_sha1` for large files. */
export function sha1OfDownload(headers: Record<string, string | undefined>): string | undefined {
  return wholeFileSha1(headers['x-bz-content-sha1'], decodeInfoValue(headers[`${INFO_HEADER}large_file_sha1`] ?? ''));
}

/** The version a download answer describes, from its `X-Bz-*` headers (lower-case names). */
export function versionOfDownload(name: string, headers: Record<string, string | undefined>): RemoteVersion {
  const info: Record<string, string> = {};
  for (const [header, value] of Object.entries(headers)) {
    if (header.startsWith(INFO_HEADER) && value !== undefined) info[header.slice(INFO_HEADER.length)] = decodeInfoValue(value);
  }
  return {
    id: headers['x-bz-file-id'] ?? '',
    name,
    action: 'upload',
    size: Number(headers['content-length'] ?? 0),
    uploadTimestamp: Number(headers['x-bz-upload-timestamp'] ?? 0),
    sha1: sha1OfDownload(headers),
    info,
  };
}
