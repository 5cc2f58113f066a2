import { createReadStream, type ReadStream } from 'node:fs';
import type { TransferProgress } from '../../progress';
import type { FileJson } from '../b2/json';
import type { B2Session } from '../b2/session';

/** What to send: a file on disk (re-read on every attempt) or bytes in memory. */
export type UploadBody = { path: string; size: number } | { bytes: Buffer };

export interface SingleUploadRequest {
  name: string;
  body: UploadBody;
  sha1: string;
  info: Record<string, string>;
  contentType?: string;
  signal?: AbortSignal;
  onProgress?: TransferProgress;
}

export const READ_STREAM_CHUNK = 1024 * 1024;

/**
 * b2_upload_file with the body streamed from disk. Each attempt takes an upload URL from the
 * pool and gives it back only after a success, so a retry always gets a fresh one (B2's rule).
 */
export async function uploadSingle(session: B2Session, request: SingleUploadRequest): Promise<FileJson> {
  const { body, signal, onProgress } = request;
  const size = 'bytes' in body ? body.bytes.length : body.size;
  return session.run(
    'b2_upload_file',
    async () => {
      const url = await session.takeUploadUrl(signal);
      let stream: ReadStream | undefined;
      try {
        onProgress?.(0, size);
        let data: ReadStream | Buffer;
        if ('bytes' in body) {
          data = body.bytes;
        } else {
          stream = size === 0 ? undefined : createReadStream(body.path, { highWaterMark: READ_STREAM_CHUNK });
          data = stream ?? Buffer.alloc(0);
          let sent = 0;
          // Paused until axios pipes it, so that counting progress cannot start the flow early.
          stream?.pause().on('data', (chunk) => onProgress?.((sent += chunk.length), size));
        }
        const response = await session.client.uploadFile({
          ...session.args(signal),
          uploadUrl: url.uploadUrl,
          uploadAuthToken: url.authorizationToken,
          fileName: request.name,
          data,
          contentLength: size,
          hash: request.sha1,
          mime: request.contentType,
          info: request.info,
        });
        session.observe(response);
        session.returnUploadUrl(url);
        onProgress?.(size, size);
        return response.data as FileJson;
      } finally {
        stream?.destroy();
      }
    },
    { signal },
  );
}
