import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { BadInputError, RemoteError } from '../errors';
import { checkNameAndInfo } from './b2/file-info';
import { toRemoteVersion, type FileJson, type FileListJson, type UploadUrlJson } from './b2/json';
import { DEFAULT_RETRY_POLICY } from './b2/retry-policy';
import { B2Session, type StoreLogger } from './b2/session';
import type { B2Credentials } from './credentials';
import { blockPoolFor } from './download/block-pool';
import { downloadToFile, type SegmentPlan } from './download/download-to-file';
import { parseProxyUrl } from './download/proxy';
import { RangeReader, type ConnectionSettings, type DownloadSource } from './download/range-reader';
import { readRanges } from './download/read-ranges';
import { downloadBytes, downloadBytesByName } from './download/small-download';
import { digestFile } from './upload/file-digest';
import { uploadSingle } from './upload/single-upload';
import type {
  ByteRange,
  DownloadOptions,
  DownloadResult,
  LargeFileDraft,
  ListOptions,
  PartSource,
  RangeReceiver,
  RemoteVersion,
  Store,
  PartsOptions,
  TransferOptions,
  UploadOptions,
} from './store';
import { LargeFiles } from './upload/large-file';

export type { StoreLogger } from './b2/session';

export interface B2StoreOptions extends B2Credentials {
  bucket: string;
  /** Bytes per part of a large file; B2's recommended part size (100 MB) when absent. */
  partSize?: number;
  /** Files larger than this (and than one part) use the large-file API; `partSize` when absent. */
  largeFileThreshold?: number;
  /** Parts uploaded at the same time (default 4). */
  uploadConcurrency?: number;
  /** Bytes per ranged request of a download; files of two segments or more download in parallel (default 32 MiB). */
  downloadSegmentSize?: number;
  /** Segments of a download fetched at the same time (default 4). */
  downloadConcurrency?: number;
  /**
   * The proxy downloads go through (`http://host:port`, e.g. VS Code's `http.proxy`); by default the
   * environment's HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, minus NO_PROXY. The other calls go through
   * the HTTP client of `backblaze-b2`, which honours the environment (and in VS Code its proxy support).
   */
  proxy?: string;
  /** A download connection that receives nothing for this long while data is wanted is dropped and resumed (default 60 s). */
  downloadIdleTimeoutMs?: number;
  /** Attempts per B2 call, the first included (default 6). */
  maxAttempts?: number;
  /** First retry delay; later ones grow ×1.5 up to 64 s (default 1000 ms). */
  retryBaseDelayMs?: number;
  /** Receives one line per retry, re-authorization or cleanup problem. */
  logger?: StoreLogger;
  signal?: AbortSignal;
}

const MAX_SINGLE_UPLOAD = 5_000_000_000;
const MAX_PARTS = 10_000;
const DEFAULT_CONCURRENCY = 4;
/**
 * Half of rclone's multi-thread chunk: the whole-file SHA-1 can only advance through segments in
 * order, so smaller segments leave less to hash once the last byte arrives, while each request
 * still carries enough bytes to make B2's time to first byte small beside it.
 */
const DEFAULT_DOWNLOAD_SEGMENT = 32 * 1024 * 1024;

const DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS = 60_000;

/** Authorizes with B2 (or the server at `endpoint`) and opens the bucket. */
export async function openB2Store(options: B2StoreOptions): Promise<B2Store> {
  const retry = {
    ...DEFAULT_RETRY_POLICY,
    maxAttempts: options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
    baseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
  };
  const session = await B2Session.open({ ...options, retry }, options.signal);
  const partSize = options.partSize ?? session.recommendedPartSize;
  if (partSize < session.minimumPartSize) {
    throw new BadInputError(
      `The part size ${partSize} is below the minimum of ${session.minimumPartSize} bytes that the server accepts.`,
      'Use a larger part size.',
    );
  }
  return new B2Store(session, {
    partSize,
    largeFileThreshold: Math.min(MAX_SINGLE_UPLOAD, Math.max(options.largeFileThreshold ?? partSize, partSize)),
    uploadConcurrency: Math.max(1, options.uploadConcurrency ?? DEFAULT_CONCURRENCY),
    download: {
      segmentSize: Math.max(1, options.downloadSegmentSize ?? DEFAULT_DOWNLOAD_SEGMENT),
      concurrency: Math.max(1, options.downloadConcurrency ?? DEFAULT_CONCURRENCY),
    },
    connections: {
      idleTimeoutMs: Math.max(1, options.downloadIdleTimeoutMs ?? DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS),
      ...(options.proxy ? { proxy: parseProxyUrl(options.proxy, 'the proxy option') } : {}),
    },
    logger: options.logger,
  });
}

interface TransferSettings {
  partSize: number;
  largeFileThreshold: number;
  uploadConcurrency: number;
  download: SegmentPlan;
  connections: ConnectionSettings;
  logger?: StoreLogger;
}

/** The Store over Backblaze B2's native API, through the `backblaze-b2` package. */
export class B2Store implements Store {
  private readonly largeFiles: LargeFiles;

  constructor(
    private readonly session: B2Session,
    private readonly settings: TransferSettings,
  ) {
    this.largeFiles = new LargeFiles(session, settings.uploadConcurrency, settings.logger);
  }

  get bucketName(): string {
    return this.session.bucketName;
  }

  get minimumPartSize(): number {
    return this.session.minimumPartSize;
  }

  /** The name prefix the application key is restricted to, if any. */
  get allowedNamePrefix(): string | undefined {
    return this.session.allowedNamePrefix;
  }

  async *listVersions(prefix: string, options: ListOptions = {}): AsyncIterable<RemoteVersion> {
    const { signal } = options;
    const maxFileCount = Math.min(1000, Math.max(1, options.pageSize ?? 1000));
    let startFileName: string | undefined;
    let startFileId: string | undefined;
    do {
      const page = await this.session.api<FileListJson>(
        'b2_list_file_versions',
        (args) => this.session.client.listFileVersions({ ...args, bucketId: this.session.bucketId, startFileName, startFileId, maxFileCount }),
        { signal, override: { data: { prefix } } },
      );
      for (const file of page.files) yield toRemoteVersion(file);
      startFileName = page.nextFileName ?? undefined;
      startFileId = page.nextFileId ?? undefined;
    } while (startFileName !== undefined);
  }

  async uploadFile(localPath: string, name: string, options: UploadOptions = {}): Promise<RemoteVersion> {
    const info = options.info ?? {};
    const size = await fileSize(localPath);
    if (size <= this.settings.largeFileThreshold) {
      checkNameAndInfo(name, info);
      const digest = await digestFile(localPath, undefined, options.signal);
      return toRemoteVersion(await uploadSingle(this.session, { ...options, name, info, body: { path: localPath, size: digest.size }, sha1: digest.sha1 }));
    }
    checkNameAndInfo(name, { ...info, large_file_sha1: '0'.repeat(40) });
    const partSize = Math.max(this.settings.partSize, Math.ceil(size / MAX_PARTS));
    const digest = await digestFile(localPath, partSize, options.signal);
    return this.largeFiles.uploadFile(localPath, name, digest, partSize, options);
  }

  async uploadBytes(name: string, data: Uint8Array, options: UploadOptions = {}): Promise<RemoteVersion> {
    const info = options.info ?? {};
    checkNameAndInfo(name, info);
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const sha1 = createHash('sha1').update(bytes).digest('hex');
    return toRemoteVersion(await uploadSingle(this.session, { ...options, name, info, body: { bytes }, sha1 }));
  }

  downloadToFile(version: Pick<RemoteVersion, 'id' | 'name'>, targetPath: string, options?: DownloadOptions): Promise<DownloadResult> {
    const plan = this.settings.download;
    return downloadToFile(this.reader({ id: version.id, name: version.name }, plan.concurrency), targetPath, plan, options);
  }

  async downloadBytes(version: Pick<RemoteVersion, 'id' | 'name'>, options?: TransferOptions): Promise<Buffer> {
    return (await downloadBytes(this.reader({ id: version.id, name: version.name }, 1), options)).bytes;
  }

  async deleteVersion(version: Pick<RemoteVersion, 'id' | 'name'>, options: { signal?: AbortSignal } = {}): Promise<void> {
    try {
      await this.session.api(
        'b2_delete_file_version',
        (args) => this.session.client.deleteFileVersion({ ...args, fileId: version.id, fileName: version.name }),
        options,
      );
    } catch (error) {
      if (error instanceof RemoteError && (error.code === 'file_not_present' || error.code === 'not_found')) return;
      throw error;
    }
  }

  async hide(name: string, options: { signal?: AbortSignal } = {}): Promise<RemoteVersion> {
    const file = await this.session.api<FileJson>(
      'b2_hide_file',
      (args) => this.session.client.hideFile({ ...args, bucketId: this.session.bucketId, fileName: name }),
      options,
    );
    return toRemoteVersion(file);
  }

  async serverTime(options: { signal?: AbortSignal } = {}): Promise<number> {
    const known = this.session.clock.now();
    if (known !== undefined) return known;
    // Any response carries the clock; an upload URL is cheap and goes to the pool for later.
    const url = await this.session.api<UploadUrlJson>(
      'b2_get_upload_url',
      (args) => this.session.client.getUploadUrl({ ...args, bucketId: this.session.bucketId }),
      options,
    );
    this.session.returnUploadUrl(url);
    const now = this.session.clock.now();
    if (now === undefined) {
      throw new RemoteError('The B2 server did not say what time it is (no Date header).', 'b2_get_upload_url', undefined, undefined, 'Check the endpoint (B2M_ENDPOINT).');
    }
    return now;
  }

  async *listHeads(prefix: string, options: ListOptions = {}): AsyncIterable<RemoteVersion> {
    const maxFileCount = Math.min(1000, Math.max(1, options.pageSize ?? 1000));
    let startFileName: string | undefined;
    do {
      const page = await this.session.api<FileListJson>(
        'b2_list_file_names',
        (args) => this.session.client.listFileNames({ ...args, bucketId: this.session.bucketId, prefix, delimiter: '/', startFileName, maxFileCount }),
        { signal: options.signal },
      );
      for (const file of page.files) if (file.action === 'upload') yield toRemoteVersion(file);
      startFileName = page.nextFileName ?? undefined;
    } while (startFileName !== undefined);
  }

  readRanges(version: Pick<RemoteVersion, 'id' | 'name'>, ranges: readonly ByteRange[], receive: RangeReceiver, options?: TransferOptions): Promise<void> {
    const { concurrency } = this.settings.download;
    return readRanges(this.reader({ id: version.id, name: version.name }, concurrency), ranges, receive, concurrency, options);
  }

  downloadBytesByName(name: string, options?: TransferOptions): Promise<{ bytes: Buffer; version: RemoteVersion } | undefined> {
    return downloadBytesByName(this.reader({ byName: name }, 1), name, options);
  }

  startLargeFile(name: string, options: { info: Record<string, string>; contentType?: string; signal?: AbortSignal }): Promise<LargeFileDraft> {
    return this.largeFiles.start(name, options);
  }

  uploadParts(draft: LargeFileDraft, parts: readonly PartSource[], options?: PartsOptions): Promise<void> {
    return this.largeFiles.uploadParts(draft, parts, options);
  }

  finishLargeFile(draft: LargeFileDraft, options: { signal?: AbortSignal } = {}): Promise<RemoteVersion> {
    return this.largeFiles.finish(draft, options.signal);
  }

  cancelLargeFile(fileId: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.largeFiles.cancel(fileId, options.signal);
  }

  listUnfinishedLargeFiles(prefix: string, options: { signal?: AbortSignal } = {}): Promise<RemoteVersion[]> {
    return this.largeFiles.listUnfinished(prefix, options.signal);
  }

  /** Reads of one file, whose `streams` connections share one pool of receive blocks. */
  private reader(source: DownloadSource, streams: number): RangeReader {
    return new RangeReader(this.session, source, this.settings.connections, blockPoolFor(streams));
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new BadInputError(`${path} is not a file.`, 'Choose a regular file to upload.');
    return info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BadInputError(`The file ${path} does not exist.`, 'Check the path; download the database first if it is not local yet.');
    }
    throw error;
  }
}
