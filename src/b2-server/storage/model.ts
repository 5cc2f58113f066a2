/** What the server stores, and how B2 shows it in JSON. */

export interface BucketRecord {
  bucketId: string;
  bucketName: string;
  bucketType: 'allPrivate' | 'allPublic';
}

/**
 * A byte range of one content file. Every stored file and part is a list of segments, so that a
 * part copied from another file (b2_copy_part) refers to that file's content instead of copying it.
 */
export interface Segment {
  /** Content file, relative to the data folder. */
  path: string;
  /** Where the segment starts in the content file. */
  offset: number;
  length: number;
}

export interface PartRecord {
  partNumber: number;
  contentLength: number;
  contentSha1: string;
  uploadTimestamp: number;
  /** Its own content file when uploaded; ranges of other files' content when copied. */
  segments: Segment[];
}

/** What a finished large file remembers of each of its parts, in order. */
export interface PartDigest {
  contentLength: number;
  contentSha1: string;
}

export interface FileRecord {
  fileId: string;
  bucketId: string;
  fileName: string;
  /** 'start' is an unfinished large file. */
  action: 'upload' | 'hide' | 'start';
  contentType: string;
  contentLength: number;
  /** 40 hex, `unverified:<hex>`, or 'none' (large files, hide markers). */
  contentSha1: string;
  fileInfo: Record<string, string>;
  /** Server clock at the START of the upload. */
  uploadTimestamp: number;
  /** Position in upload-start order (also encoded in fileId). */
  sequence: number;
  /** The content, in order (empty for hide markers and unfinished large files). */
  segments: Segment[];
  /** Parts uploaded or copied so far, for action 'start'. */
  parts?: PartRecord[];
  /** For a finished large file: its parts' sizes and SHA-1s, in order. */
  partDigests?: PartDigest[];
}

export const HIDE_MARKER_CONTENT_TYPE = 'application/x-bz-hide-marker';

/** The JSON B2 returns for a file version (upload, list, get_file_info, hide). */
export function fileJson(accountId: string, file: FileRecord): Record<string, unknown> {
  return {
    accountId,
    action: file.action,
    bucketId: file.bucketId,
    contentLength: file.contentLength,
    contentSha1: file.contentSha1,
    contentType: file.contentType,
    fileId: file.fileId,
    fileInfo: file.fileInfo,
    fileName: file.fileName,
    fileRetention: { isClientAuthorizedToRead: true, value: { mode: null, retainUntilTimestamp: null } },
    legalHold: { isClientAuthorizedToRead: true, value: null },
    replicationStatus: null,
    serverSideEncryption: { algorithm: null, mode: null },
    uploadTimestamp: file.uploadTimestamp,
  };
}

/** The JSON B2 returns for a part (b2_upload_part, b2_copy_part, b2_list_parts). */
export function partJson(fileId: string, part: Omit<PartRecord, 'segments'>): Record<string, unknown> {
  return {
    fileId,
    partNumber: part.partNumber,
    contentLength: part.contentLength,
    contentSha1: part.contentSha1,
    serverSideEncryption: { algorithm: null, mode: null },
    uploadTimestamp: part.uploadTimestamp,
  };
}

/** A "folder" entry of a listing with a delimiter. */
export function folderJson(accountId: string, bucketId: string, folderName: string): Record<string, unknown> {
  return {
    accountId,
    action: 'folder',
    bucketId,
    contentLength: 0,
    contentSha1: null,
    contentType: null,
    fileId: null,
    fileInfo: {},
    fileName: folderName,
    uploadTimestamp: 0,
  };
}

export function bucketJson(accountId: string, bucket: BucketRecord): Record<string, unknown> {
  return {
    accountId,
    bucketId: bucket.bucketId,
    bucketName: bucket.bucketName,
    bucketType: bucket.bucketType,
    bucketInfo: {},
    corsRules: [],
    defaultServerSideEncryption: { isClientAuthorizedToRead: true, value: { algorithm: null, mode: null } },
    fileLockConfiguration: {
      isClientAuthorizedToRead: true,
      value: { defaultRetention: { mode: null, period: null }, isFileLockEnabled: false },
    },
    lifecycleRules: [],
    options: ['s3'],
    replicationConfiguration: { isClientAuthorizedToRead: true, value: null },
    revision: 1,
  };
}
