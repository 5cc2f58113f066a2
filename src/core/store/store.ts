import type { TransferProgress } from '../progress';

/**
 * The remote object store as the engine sees it: one bucket, names inside it, every upload a
 * new version. The B2 implementation lives in `b2-store.ts`; nothing else knows about B2.
 */
export interface RemoteVersion {
  /** B2 file id of this version. */
  id: string;
  /** Full file name inside the bucket. */
  name: string;
  /** 'upload' for a real version, 'hide' for a hide marker, 'start' for an unfinished large file. */
  action: 'upload' | 'hide' | 'start' | 'folder';
  /** Bytes of the content. */
  size: number;
  /** Server clock (ms since epoch) at the START of the upload. */
  uploadTimestamp: number;
  /** Whole-file SHA-1 in hex: `contentSha1`, or `large_file_sha1` for large files; undefined if unknown. */
  sha1?: string;
  /** File info (`X-Bz-Info-*`), keys lower case, values decoded. */
  info: Record<string, string>;
}

export interface TransferOptions {
  signal?: AbortSignal;
  onProgress?: TransferProgress;
}

export interface PartsOptions extends TransferOptions {
  /** Told as each part is stored on the server (uploaded and acknowledged, or copied). */
  onPartDone?: (part: PartSource) => void;
}

export interface ListOptions {
  signal?: AbortSignal;
  /** Page size asked of B2 (max 1000). */
  pageSize?: number;
}

export interface UploadOptions extends TransferOptions {
  /** File info to attach (lower-case keys, at most 10, name + info at most 7000 bytes). */
  info?: Record<string, string>;
  contentType?: string;
}

export interface DownloadOptions extends TransferOptions {
  /** Expected whole-file SHA-1; when given (or known from the server) a mismatch is an IntegrityError. */
  expectedSha1?: string;
}

export interface DownloadResult {
  sha1: string;
  size: number;
}

/** Bytes `start` to `start + length - 1` of a file. */
export interface ByteRange {
  start: number;
  length: number;
}

/** A large file started on B2 and neither finished nor cancelled yet: invisible to listings. */
export interface LargeFileDraft {
  fileId: string;
  name: string;
}

/** Where the bytes of one part of a large file come from. */
export type PartSource =
  /** Bytes of a local file, sent over the link. */
  | { partNumber: number; kind: 'upload'; path: string; start: number; length: number }
  /** A byte range of a finished version, copied on the server (b2_copy_part): nothing crosses the link. */
  | { partNumber: number; kind: 'copy'; sourceFileId: string; start: number; length: number };

/**
 * Takes bytes of a ranged read. `bytes` may be a reused buffer: it is valid only until this returns
 * (or the promise it returns settles), so copy what you keep.
 */
export type RangeReceiver = (position: number, bytes: Buffer) => void | Promise<void>;

export interface Store {
  readonly bucketName: string;
  /**
   * Every version (newest first within a name, names in order) whose name starts with `prefix`,
   * following B2's paging until the end.
   */
  listVersions(prefix: string, options?: ListOptions): AsyncIterable<RemoteVersion>;
  /** Uploads a file from disk, streaming; large files go through the large-file API. */
  uploadFile(localPath: string, name: string, options?: UploadOptions): Promise<RemoteVersion>;
  /** Uploads a small in-memory object (lock attempts, heartbeats). */
  uploadBytes(name: string, data: Uint8Array, options?: UploadOptions): Promise<RemoteVersion>;
  /**
   * Downloads a version to `targetPath`: streamed to a temporary file beside it, SHA-1 verified,
   * then renamed over the target. On any failure the target is untouched and no temp file remains.
   */
  downloadToFile(version: Pick<RemoteVersion, 'id' | 'name'>, targetPath: string, options?: DownloadOptions): Promise<DownloadResult>;
  /** Downloads a small version into memory (lock attempts). */
  downloadBytes(version: Pick<RemoteVersion, 'id' | 'name'>, options?: TransferOptions): Promise<Buffer>;
  /** Deletes one version. Deleting an already-missing version is not an error. */
  deleteVersion(version: Pick<RemoteVersion, 'id' | 'name'>, options?: { signal?: AbortSignal }): Promise<void>;
  /** Adds a hide marker for a name. */
  hide(name: string, options?: { signal?: AbortSignal }): Promise<RemoteVersion>;
  /** The server's current clock in ms since epoch (estimated from the latest response's Date). */
  serverTime(options?: { signal?: AbortSignal }): Promise<number>;
  /** The newest visible version of each name directly under `prefix` (one listing for all databases). */
  listHeads(prefix: string, options?: ListOptions): AsyncIterable<RemoteVersion>;
  /** Byte ranges of a version, fetched in parallel, retried and resumed; each range's bytes arrive in order. */
  readRanges(version: Pick<RemoteVersion, 'id' | 'name'>, ranges: readonly ByteRange[], receive: RangeReceiver, options?: TransferOptions): Promise<void>;
  /** A small file by name (SHA-1 checked), or undefined when no such name exists. */
  downloadBytesByName(name: string, options?: TransferOptions): Promise<{ bytes: Buffer; version: RemoteVersion } | undefined>;
  /** absoluteMinimumPartSize: every part of a large file but the last is at least this big. */
  readonly minimumPartSize: number;
  /** Starts a large file; it stays invisible to listings until finished. */
  startLargeFile(name: string, options: { info: Record<string, string>; contentType?: string; signal?: AbortSignal }): Promise<LargeFileDraft>;
  /** Uploads and copies parts in parallel; progress counts bytes sent over the link. */
  uploadParts(draft: LargeFileDraft, parts: readonly PartSource[], options?: PartsOptions): Promise<void>;
  finishLargeFile(draft: LargeFileDraft, options?: { signal?: AbortSignal }): Promise<RemoteVersion>;
  /** Cancelling a large file that is already gone is not an error. */
  cancelLargeFile(fileId: string, options?: { signal?: AbortSignal }): Promise<void>;
  listUnfinishedLargeFiles(prefix: string, options?: { signal?: AbortSignal }): Promise<RemoteVersion[]>;
}
