import type { RemoteVersion } from '../store';

/** The JSON shapes of the B2 native API (v2) that the store reads. */
export interface AuthorizeJson {
  accountId: string;
  authorizationToken: string;
  apiUrl: string;
  downloadUrl: string;
  recommendedPartSize?: number;
  absoluteMinimumPartSize?: number;
  allowed?: { bucketId?: string | null; bucketName?: string | null; namePrefix?: string | null; capabilities?: string[] };
}

export interface BucketListJson {
  buckets: { bucketId: string; bucketName: string }[];
}

export interface UploadUrlJson {
  uploadUrl: string;
  authorizationToken: string;
}

export interface FileJson {
  fileId: string;
  fileName: string;
  action: string;
  contentLength?: number;
  size?: number;
  uploadTimestamp: number;
  contentSha1?: string | null;
  fileInfo?: Record<string, string>;
}

export interface FileListJson {
  files: FileJson[];
  nextFileName?: string | null;
  nextFileId?: string | null;
}

/** B2's error body: `{ status, code, message }`. */
export interface ErrorJson {
  status?: number;
  code?: string;
  message?: string;
}

const ACTIONS: readonly RemoteVersion['action'][] = ['upload', 'hide', 'start', 'folder'];
const HEX_SHA1 = /^[0-9a-f]{40}$/;

export function toRemoteVersion(file: FileJson): RemoteVersion {
  const action = ACTIONS.find((a) => a === file.action);
  if (!action) throw new TypeError(`B2 returned an unknown file action "${file.action}" for ${file.fileName}.`);
  // B2 stores file info decoded; only the X-Bz-Info-* headers of downloads are percent-encoded.
  const info = { ...(file.fileInfo ?? {}) };
  return {
    id: file.fileId,
    name: file.fileName,
    action,
    size: file.contentLength ?? file.size ?? 0,
    uploadTimestamp: file.uploadTimestamp,
    sha1: wholeFileSha1(file.contentSha1, info['large_file_sha1']),
    info,
  };
}

/** `contentSha1` may be "none" (large files) or carry an "unverified:" prefix. */
export function wholeFileSha1(contentSha1: string | null | undefined, largeFileSha1: string | undefined): string | undefined {
  const content = contentSha1?.replace(/^unverified:/, '').toLowerCase();
  if (content && HEX_SHA1.test(content)) return content;
  const large = largeFileSha1?.toLowerCase();
  return large && HEX_SHA1.test(large) ? large : undefined;
}
