import { createReadStream, type ReadStream } from 'node:fs';
import { CancelledError } from '../errors';
import type { TransferProgress } from '../progress';
import type { FileJson, UploadUrlJson } from './b2-json';
import type { B2Session } from './b2-session';
import type { FileDigest } from './file-digest';
import { READ_STREAM_CHUNK } from './single-upload';

export interface LargeUploadRequest {
  path: string;
  name: string;
  digest: FileDigest;
  partSize: number;
  concurrency: number;
  info: Record<string, string>;
  contentType?: string;
  signal?: AbortSignal;
  onProgress?: TransferProgress;
  log?: (message: string) => void;
}

/**
 * The large-file API: b2_start_large_file (whole-file SHA-1 in `large_file_sha1`), parts streamed
 * from disk by `concurrency` workers each holding its own part URL, then b2_finish_large_file.
 * Memory stays at a few read buffers per worker whatever the file size, because each part's SHA-1
 * is known from the digest pass and the part is streamed rather than buffered. If anything fails
 * or is cancelled, the unfinished file is cancelled on B2 so no parts are left behind.
 */
export async function uploadLarge(session: B2Session, request: LargeUploadRequest): Promise<FileJson> {
  const { digest, signal } = request;
  const started = await session.api<FileJson>(
    'b2_start_large_file',
    (args) => session.client.startLargeFile({ ...args, bucketId: session.bucketId, fileName: request.name, contentType: request.contentType }),
    { signal, override: { data: { fileInfo: { ...request.info, large_file_sha1: digest.sha1 } } } },
  );
  try {
    await uploadParts(session, request, started.fileId);
    return await session.api<FileJson>(
      'b2_finish_large_file',
      (args) => session.client.finishLargeFile({ ...args, fileId: started.fileId, partSha1Array: digest.partSha1s }),
      { signal },
    );
  } catch (error) {
    await cancelLargeFile(session, started.fileId, request.log);
    throw error;
  }
}

async function uploadParts(session: B2Session, request: LargeUploadRequest, fileId: string): Promise<void> {
  const { digest, partSize, onProgress } = request;
  const stopWorkers = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stopWorkers.signal]) : stopWorkers.signal;
  const partBytes = new Array<number>(digest.partSha1s.length).fill(0);
  let reported = 0;
  const report = (part: number, bytes: number): void => {
    reported += bytes - (partBytes[part] ?? 0);
    partBytes[part] = bytes;
    onProgress?.(reported, digest.size);
  };
  onProgress?.(0, digest.size);

  let next = 0;
  const worker = async (): Promise<void> => {
    let url: UploadUrlJson | undefined;
    while (next < digest.partSha1s.length && !signal.aborted) {
      const part = next++;
      const start = part * partSize;
      const length = Math.min(partSize, digest.size - start);
      await session.run(
        'b2_upload_part',
        async () => {
          url ??= await session.api<UploadUrlJson>('b2_get_upload_part_url', (args) => session.client.getUploadPartUrl({ ...args, fileId }), {
            signal,
          });
          let stream: ReadStream | undefined;
          try {
            report(part, 0);
            stream = createReadStream(request.path, { start, end: start + length - 1, highWaterMark: READ_STREAM_CHUNK });
            let sent = 0;
            stream.pause().on('data', (chunk) => report(part, (sent += chunk.length))); // flows once axios pipes it
            session.observe(
              await session.client.uploadPart({
                ...session.args(signal),
                uploadUrl: url.uploadUrl,
                uploadAuthToken: url.authorizationToken,
                partNumber: part + 1,
                data: stream,
                contentLength: length,
                hash: digest.partSha1s[part] ?? '',
              }),
            );
          } catch (error) {
            url = undefined; // B2: after any failure, get a new upload URL
            throw error;
          } finally {
            stream?.destroy();
          }
        },
        { signal },
      );
    }
  };

  const workers = Array.from({ length: Math.min(request.concurrency, digest.partSha1s.length) }, () =>
    worker().catch((error: unknown) => {
      stopWorkers.abort();
      throw error;
    }),
  );
  const results = await Promise.allSettled(workers);
  if (request.signal?.aborted) throw new CancelledError(`Cancelled uploading ${request.name}.`);
  // The first real failure, not the cancellations it caused in the other workers.
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const cause = failures.find((e) => !(e instanceof CancelledError)) ?? failures[0];
  if (cause !== undefined) throw cause;
}

async function cancelLargeFile(session: B2Session, fileId: string, log?: (message: string) => void): Promise<void> {
  try {
    await session.api('b2_cancel_large_file', (args) => session.client.cancelLargeFile({ ...args, fileId }));
  } catch (error) {
    log?.(`Could not cancel the unfinished large file ${fileId}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
