import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { B2ApiError, badBucketId, badRequest } from '../http/api-error';
import { checkBucketAccess, checkNameAccess } from '../auth/access';
import { MAX_PART_NUMBER } from '../b2-limits';
import type { ServerContext } from '../context';
import type { FaultAction } from '../test-hooks/faults';
import { fileInfoFromHeaders, resolveContentType, validateFileInfo } from '../storage/file-info';
import { PacedStream } from '../http/bandwidth';
import { closedSignal, sendJson } from '../http/http-io';
import { fileJson, partJson, type FileRecord } from '../storage/model';
import { b2Decode, validateFileName } from '../http/names';
import { describeBody, receiveBody } from './receive-body';

const noActiveLargeFile = (fileId: string): B2ApiError => badRequest(`No active large file with id ${fileId}`);

/** Upload-token targets: an upload URL belongs to one bucket, an upload part URL to one large file. */
export const bucketTarget = (bucketId: string): string => `bucket:${bucketId}`;
export const largeFileTarget = (fileId: string): string => `large:${fileId}`;

/** b2_upload_file: the body is the file, the parameters are headers. */
export async function uploadFile(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  bucketId: string,
  fault: FaultAction | undefined,
): Promise<void> {
  const uploadTimestamp = ctx.clock.now(); // B2 stamps an upload when it starts
  const session = ctx.auth.uploadSession(req.headers.authorization, bucketTarget(bucketId));
  const bucket = ctx.store.bucket(bucketId);
  if (!bucket) throw badBucketId(bucketId);
  checkBucketAccess(session, bucket);
  const nameHeader = req.headers['x-bz-file-name'];
  if (typeof nameHeader !== 'string') throw badRequest('Missing header: X-Bz-File-Name');
  const fileName = validateFileName(b2Decode(nameHeader));
  checkNameAccess(session, fileName);
  const fileInfo = validateFileInfo(fileName, fileInfoFromHeaders(req.headers));
  const contentType = resolveContentType(req.headers['content-type'], fileName);
  const { declaredLength, expectation } = describeBody(req);
  const { fileId, sequence } = ctx.store.allocateId(bucketId, uploadTimestamp, false);

  const body = await receiveBody(ctx.store, req, declaredLength, expectation, fault, new PacedStream(ctx.bandwidth, closedSignal(res)));
  const file: FileRecord = {
    fileId,
    bucketId,
    fileName,
    action: 'upload',
    contentType,
    contentLength: body.contentLength,
    contentSha1: body.storedSha1,
    fileInfo,
    uploadTimestamp,
    sequence,
    segments: [],
  };
  await ctx.store.addUpload(file, body.tempPath);
  sendJson(res, 200, fileJson(ctx.accountId, file));
}

/** b2_upload_part: one part of a started large file. */
export async function uploadPart(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  fileId: string,
  fault: FaultAction | undefined,
): Promise<void> {
  const uploadTimestamp = ctx.clock.now();
  ctx.auth.uploadSession(req.headers.authorization, largeFileTarget(fileId));
  const partNumber = Number(req.headers['x-bz-part-number']);
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw badRequest(`X-Bz-Part-Number must be an integer from 1 to ${MAX_PART_NUMBER}`);
  }
  const { declaredLength, expectation } = describeBody(req);
  if (ctx.store.file(fileId)?.action !== 'start') throw noActiveLargeFile(fileId);
  const body = await receiveBody(ctx.store, req, declaredLength, expectation, fault, new PacedStream(ctx.bandwidth, closedSignal(res)));
  const file = ctx.store.file(fileId);
  if (file?.action !== 'start') {
    await rm(body.tempPath, { force: true }); // cancelled or finished while this part was arriving
    throw noActiveLargeFile(fileId);
  }
  const part = { partNumber, contentLength: body.contentLength, contentSha1: body.sha1, uploadTimestamp };
  await ctx.store.addUploadedPart(file, part, body.tempPath);
  sendJson(res, 200, partJson(fileId, part));
}
