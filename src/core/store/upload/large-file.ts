import { createReadStream } from 'node:fs';
import { BadInputError, RemoteError } from '../../errors';
import type { TransferProgress } from '../../progress';
import { toRemoteVersion, type FileJson, type FileListJson, type UploadUrlJson } from '../b2/json';
import type { B2Session, StoreLogger } from '../b2/session';
import { digestRange, type FileDigest } from './file-digest';
import { checkNameAndInfo } from '../b2/file-info';
import { READ_STREAM_CHUNK } from './single-upload';
import type { LargeFileDraft, PartSource, PartsOptions, RemoteVersion, UploadOptions } from '../store';
import { runPool } from '../transfer/worker-pool';

/** A part to send; an uploaded part's SHA-1 may be known already (from the pass that hashed the whole file). */
export type PlannedPart = PartSource & { sha1?: string };

interface PartJson {
  partNumber: number;
  contentLength: number;
  contentSha1: string;
}

const MAX_PART_NUMBER = 10_000;

/**
 * B2's large-file API: start, parts uploaded from disk or copied on the server (`concurrency` at a
 * time, each retried), finish, cancel. Parts stream from disk by range, so memory stays at a few
 * read buffers per worker whatever the size. Each part's SHA-1 is kept here until its file is
 * finished or cancelled, since finishing must list them all.
 */
export class LargeFiles {
  private readonly partSha1s = new Map<string, Map<number, string>>();

  constructor(
    private readonly session: B2Session,
    private readonly concurrency: number,
    private readonly log?: StoreLogger,
  ) {}

  async start(name: string, options: { info: Record<string, string>; contentType?: string; signal?: AbortSignal }): Promise<LargeFileDraft> {
    checkNameAndInfo(name, options.info);
    const started = await this.session.api<FileJson>(
      'b2_start_large_file',
      (args) => this.session.client.startLargeFile({ ...args, bucketId: this.session.bucketId, fileName: name, contentType: options.contentType }),
      { signal: options.signal, override: { data: { fileInfo: options.info } } },
    );
    return { fileId: started.fileId, name: started.fileName };
  }

  async uploadParts(draft: LargeFileDraft, parts: readonly PlannedPart[], options: PartsOptions = {}): Promise<void> {
    checkParts(draft, parts);
    const sha1s = this.sha1sOf(draft.fileId);
    const freeUrls: UploadUrlJson[] = [];
    const report = partProgress(parts, options.onProgress);
    await runPool(
      parts,
      this.concurrency,
      async (part, signal) => {
        const sha1 = part.kind === 'copy' ? await this.copyPart(draft, part, signal) : await this.uploadPart(draft, part, freeUrls, report, signal);
        sha1s.set(part.partNumber, sha1);
        options.onPartDone?.(part);
      },
      `uploading ${draft.name}`,
      options.signal,
    );
  }

  async finish(draft: LargeFileDraft, signal?: AbortSignal): Promise<RemoteVersion> {
    const sha1s = this.partSha1s.get(draft.fileId) ?? new Map<number, string>();
    const partSha1Array = Array.from({ length: sha1s.size }, (_, i) => sha1s.get(i + 1));
    const missing = partSha1Array.indexOf(undefined);
    if (sha1s.size === 0 || missing >= 0) {
      throw new BadInputError(
        `Cannot finish ${draft.name}: ${sha1s.size === 0 ? 'no part was uploaded' : `part ${missing + 1} was not uploaded`}.`,
        'Upload parts numbered 1 to N with uploadParts before finishing the file.',
      );
    }
    try {
      const file = await this.session.api<FileJson>(
        'b2_finish_large_file',
        (args) => this.session.client.finishLargeFile({ ...args, fileId: draft.fileId, partSha1Array: partSha1Array as string[] }),
        { signal },
      );
      this.partSha1s.delete(draft.fileId);
      return toRemoteVersion(file);
    } catch (error) {
      // A finish whose answer was lost is refused when tried again: the file is finished already.
      const finished = error instanceof RemoteError && error.status === 400 ? await this.fileInfo(draft.fileId, signal) : undefined;
      if (finished?.action !== 'upload') throw error;
      this.partSha1s.delete(draft.fileId);
      return finished;
    }
  }

  async cancel(fileId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.session.api('b2_cancel_large_file', (args) => this.session.client.cancelLargeFile({ ...args, fileId }), { signal });
    } catch (error) {
      const gone = error instanceof RemoteError && (error.status === 400 || error.status === 404) && (await this.fileInfo(fileId, signal))?.action !== 'start';
      if (!gone) throw error;
    }
    this.partSha1s.delete(fileId);
  }

  /** Cancels after a failure; a problem doing so is logged, the failure is what the caller hears about. */
  async cancelQuietly(fileId: string): Promise<void> {
    try {
      await this.cancel(fileId);
    } catch (error) {
      this.log?.(`Could not cancel the unfinished large file ${fileId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async listUnfinished(prefix: string, signal?: AbortSignal): Promise<RemoteVersion[]> {
    const found: RemoteVersion[] = [];
    let startFileId: string | undefined;
    do {
      const page = await this.session.post<FileListJson>(
        'b2_list_unfinished_large_files',
        { bucketId: this.session.bucketId, namePrefix: prefix, startFileId, maxFileCount: 100 },
        { signal },
      );
      found.push(...page.files.map(toRemoteVersion));
      startFileId = page.nextFileId ?? undefined;
    } while (startFileId !== undefined);
    return found;
  }

  /** A whole local file as a large file, from the digest of one pass (whole-file and part SHA-1s); cancelled on failure. */
  async uploadFile(path: string, name: string, digest: FileDigest, partSize: number, options: UploadOptions): Promise<RemoteVersion> {
    const { signal } = options;
    const info = { ...options.info, large_file_sha1: digest.sha1 };
    const draft = await this.start(name, { info, contentType: options.contentType, signal });
    try {
      const parts = digest.partSha1s.map((sha1, i): PlannedPart => {
        const start = i * partSize;
        return { partNumber: i + 1, kind: 'upload', path, start, length: Math.min(partSize, digest.size - start), sha1 };
      });
      await this.uploadParts(draft, parts, options);
      return await this.finish(draft, signal);
    } catch (error) {
      await this.cancelQuietly(draft.fileId);
      throw error;
    }
  }

  private sha1sOf(fileId: string): Map<number, string> {
    let sha1s = this.partSha1s.get(fileId);
    if (!sha1s) this.partSha1s.set(fileId, (sha1s = new Map()));
    return sha1s;
  }

  /**
   * Streams a part from disk with a part URL free for reuse (B2: one per concurrent uploader), or
   * a new one; a URL whose upload failed is dropped (B2: after any failure, get a new one).
   */
  private async uploadPart(
    draft: LargeFileDraft,
    part: Extract<PlannedPart, { kind: 'upload' }>,
    freeUrls: UploadUrlJson[],
    report: (partNumber: number, sent: number) => void,
    signal: AbortSignal,
  ): Promise<string> {
    const sha1 = part.sha1 ?? (await digestRange(part.path, part.start, part.length, signal));
    await this.session.run(
      'b2_upload_part',
      async () => {
        const url =
          freeUrls.pop() ??
          (await this.session.api<UploadUrlJson>('b2_get_upload_part_url', (args) => this.session.client.getUploadPartUrl({ ...args, fileId: draft.fileId }), {
            signal,
          }));
        const stream = createReadStream(part.path, { start: part.start, end: part.start + part.length - 1, highWaterMark: READ_STREAM_CHUNK });
        try {
          report(part.partNumber, 0);
          let sent = 0;
          stream.pause().on('data', (chunk) => report(part.partNumber, (sent += chunk.length))); // flows once axios pipes it
          this.session.observe(
            await this.session.client.uploadPart({
              ...this.session.args(signal),
              uploadUrl: url.uploadUrl,
              uploadAuthToken: url.authorizationToken,
              partNumber: part.partNumber,
              data: stream,
              contentLength: part.length,
              hash: sha1,
            }),
          );
          freeUrls.push(url);
        } finally {
          stream.destroy();
        }
      },
      { signal },
    );
    return sha1;
  }

  private async copyPart(draft: LargeFileDraft, part: Extract<PlannedPart, { kind: 'copy' }>, signal: AbortSignal): Promise<string> {
    const last = part.start + part.length - 1;
    const tooShort = (copied: string): BadInputError =>
      new BadInputError(
        `Part ${part.partNumber} of ${draft.name} was to copy bytes ${part.start}-${last} of version ${part.sourceFileId}, but ${copied}: the version is shorter.`,
        'Copy only ranges inside the source version.',
      );
    let copied: PartJson;
    try {
      copied = await this.session.post<PartJson>(
        'b2_copy_part',
        { sourceFileId: part.sourceFileId, largeFileId: draft.fileId, partNumber: part.partNumber, range: `bytes=${part.start}-${last}` },
        { signal },
      );
    } catch (error) {
      // B2 refuses a range past the source's end (416) rather than copying less.
      if (error instanceof RemoteError && error.status === 416) throw tooShort('B2 refused the range');
      throw error;
    }
    if (copied.contentLength !== part.length) throw tooShort(`B2 copied ${copied.contentLength} bytes`);
    return copied.contentSha1;
  }

  /** The file as B2 knows it now, or undefined if it is gone. */
  private async fileInfo(fileId: string, signal?: AbortSignal): Promise<RemoteVersion | undefined> {
    try {
      return toRemoteVersion(await this.session.post<FileJson>('b2_get_file_info', { fileId }, { signal }));
    } catch (error) {
      if (error instanceof RemoteError && (error.status === 400 || error.status === 404)) return undefined;
      throw error;
    }
  }
}

/** Refuses part numbers and ranges that B2 would refuse, before anything is sent. */
function checkParts(draft: LargeFileDraft, parts: readonly PartSource[]): void {
  const seen = new Set<number>();
  for (const part of parts) {
    const { partNumber, start, length } = part;
    const problem =
      !Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER
        ? `part number ${partNumber} is not between 1 and ${MAX_PART_NUMBER}`
        : seen.has(partNumber)
          ? `part ${partNumber} is given twice`
          : !Number.isSafeInteger(start) || start < 0 || !Number.isSafeInteger(length) || length < 1
            ? `part ${partNumber} has the byte range start ${start}, length ${length}`
            : undefined;
    if (problem) throw new BadInputError(`Cannot upload the parts of ${draft.name}: ${problem}.`, 'Number parts from 1 and give each at least one byte.');
    seen.add(partNumber);
  }
}

/** Bytes of the uploaded parts sent so far (copied parts send none); a part sent again counts from zero. */
function partProgress(parts: readonly PartSource[], onProgress: TransferProgress | undefined): (partNumber: number, sent: number) => void {
  const total = parts.reduce((sum, part) => sum + (part.kind === 'upload' ? part.length : 0), 0);
  const sentByPart = new Map<number, number>();
  let sent = 0;
  onProgress?.(0, total);
  return (partNumber, bytes) => {
    sent += bytes - (sentByPart.get(partNumber) ?? 0);
    sentByPart.set(partNumber, bytes);
    onProgress?.(sent, total);
  };
}
