import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { B2ApiError } from '../http/api-error';
import { checkBucketAccess, checkNameAccess } from '../auth/access';
import { pacer } from '../http/bandwidth';
import { readContent } from '../storage/content-reader';
import { sendContent } from '../storage/content-sender';
import type { ServerContext } from '../context';
import type { FaultAction } from '../test-hooks/faults';
import { SPECIAL_INFO_HEADERS } from '../storage/file-info';
import { checkFileAccess } from './file-calls';
import { closedSignal, parseRange, type ByteRange } from '../http/http-io';
import type { FileRecord } from '../storage/model';
import { b2Encode } from '../http/names';

export type DownloadTarget = { bucketName: string; fileName: string } | { fileId: string };

const notFound = (what: string): B2ApiError => new B2ApiError(404, 'not_found', `File not present: ${what}`);

/** Downloads by name (`/file/<bucket>/<name>`) or by id, with Range support; HEAD sends headers only. */
export async function download(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: DownloadTarget,
  authorization: string | undefined,
  fault: FaultAction | undefined,
): Promise<void> {
  const file = resolveFile(ctx, target, authorization);
  const range = parseRange(req.headers.range, file.contentLength);
  const whole: ByteRange = { start: 0, end: file.contentLength - 1 };
  const served = range ?? whole;
  const length = file.contentLength === 0 ? 0 : served.end - served.start + 1;

  res.statusCode = range ? 206 : 200;
  res.setHeader('Content-Length', length);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Accept-Ranges', 'bytes');
  if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${file.contentLength}`);
  for (const [name, value] of Object.entries(downloadHeaders(file, fault))) res.setHeader(name, value);
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  const pace = pacer(ctx.bandwidth, closedSignal(res));
  if (fault?.kind === 'corrupt') {
    const corrupted = flipByte(readContent(ctx.store, file.segments, served), served.start, fault.atByte ?? Math.floor(file.contentLength / 2));
    await pipeline(pace(corrupted), res);
  } else if (fault?.kind === 'disconnect') {
    await sendThenCut(pace(readContent(ctx.store, file.segments, served)), res, fault.afterBytes ?? Math.floor(length / 2));
  } else {
    await sendContent(ctx.store, file.segments, served, res, pace);
  }
}

function resolveFile(ctx: ServerContext, target: DownloadTarget, authorization: string | undefined): FileRecord {
  if ('fileId' in target) {
    const file = ctx.store.file(target.fileId);
    if (file?.action !== 'upload') throw notFound(target.fileId);
    const bucket = ctx.store.bucket(file.bucketId);
    if (bucket?.bucketType !== 'allPublic') checkFileAccess(ctx, ctx.auth.session(authorization), file);
    return file;
  }
  const bucket = ctx.store.bucketByName(target.bucketName);
  if (!bucket) throw new B2ApiError(404, 'not_found', `Bucket not found: ${target.bucketName}`);
  if (bucket.bucketType !== 'allPublic') {
    const session = ctx.auth.session(authorization);
    checkBucketAccess(session, bucket);
    checkNameAccess(session, target.fileName);
  }
  const file = ctx.store.index(bucket.bucketId).visible(target.fileName);
  if (!file) throw notFound(target.fileName);
  return file;
}

function downloadHeaders(file: FileRecord, fault: FaultAction | undefined): Record<string, string> {
  const wrongSha1 = fault?.kind === 'wrong-sha1-header';
  const bogus = (): string => createHash('sha1').update(`not ${file.fileId}`).digest('hex');
  const headers: Record<string, string> = {
    'X-Bz-File-Id': file.fileId,
    'X-Bz-File-Name': b2Encode(file.fileName),
    'X-Bz-Content-Sha1': wrongSha1 && file.contentSha1 !== 'none' ? bogus() : file.contentSha1,
    'X-Bz-Upload-Timestamp': String(file.uploadTimestamp),
  };
  for (const [key, value] of Object.entries(file.fileInfo)) {
    const special = SPECIAL_INFO_HEADERS[key];
    if (special) headers[special] = value;
    else headers[`X-Bz-Info-${key}`] = encodeURIComponent(key === 'large_file_sha1' && wrongSha1 ? bogus() : value);
  }
  return headers;
}

/** Flips one byte at absolute file position `at` (injected corruption). */
async function* flipByte(content: AsyncIterable<Buffer>, offset: number, at: number): AsyncGenerator<Buffer> {
  let position = offset;
  for await (const chunk of content) {
    if (at >= position && at < position + chunk.length) {
      const copy = Buffer.from(chunk);
      copy[at - position] = (copy[at - position] as number) ^ 0xff;
      yield copy;
    } else {
      yield chunk;
    }
    position += chunk.length;
  }
}

/** Sends `afterBytes` bytes, waits until they are handed to the socket, then destroys it. */
async function sendThenCut(content: AsyncGenerator<Buffer>, res: ServerResponse, afterBytes: number): Promise<void> {
  let left = afterBytes;
  for await (const chunk of content) {
    if (left <= 0) break;
    const piece = chunk.subarray(0, left);
    left -= piece.length;
    if (!res.write(piece)) await once(res, 'drain');
  }
  await new Promise<void>((resolve) => res.write('', () => resolve()));
  res.socket?.destroy();
}
