import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { B2ApiError, badRequest } from '../api-error';
import { accessibleBucket, checkNameAccess } from '../access';
import { Sha1Meter } from '../body-streams';
import { readContent } from '../content-reader';
import type { ApiCall, ServerContext } from '../context';
import { resolveContentType, validateFileInfo } from '../file-info';
import { intParam, parseRange, requiredString, stringParam } from '../http-io';
import { fileJson, type FileRecord } from '../model';
import { validateFileName } from '../names';
import { uploadUrlSuffix } from './account-calls';
import { checkFileAccess } from './file-calls';
import { largeFileTarget } from './upload-calls';

const MAX_PART_BYTES = 5 * 1000 ** 3;
const MIN_PARTS = 2;

/** b2_start_large_file: the upload timestamp of a large file is this moment. */
export async function startLargeFile(ctx: ServerContext, call: ApiCall): Promise<Record<string, unknown>> {
  const uploadTimestamp = ctx.clock.now();
  const session = ctx.auth.session(call.authorization);
  const bucket = accessibleBucket(ctx, session, requiredString(call.params, 'bucketId'));
  const fileName = validateFileName(call.params.fileName);
  checkNameAccess(session, fileName);
  const contentType = resolveContentType(requiredString(call.params, 'contentType'), fileName);
  const fileInfo = validateFileInfo(fileName, call.params.fileInfo);
  const { fileId, sequence } = ctx.store.allocateId(bucket.bucketId, uploadTimestamp, true);
  const file: FileRecord = {
    fileId,
    bucketId: bucket.bucketId,
    fileName,
    action: 'start',
    contentType,
    contentLength: 0,
    contentSha1: 'none',
    fileInfo,
    uploadTimestamp,
    sequence,
    segments: [],
    parts: [],
  };
  await ctx.store.addRecord(file);
  return fileJson(ctx.accountId, file);
}

/** b2_get_upload_part_url: one URL and token per concurrent part uploader. */
export function getUploadPartUrl(ctx: ServerContext, call: ApiCall): Record<string, unknown> {
  const session = ctx.auth.session(call.authorization);
  const file = activeLargeFile(ctx, requiredString(call.params, 'fileId'));
  checkFileAccess(ctx, session, file);
  return {
    fileId: file.fileId,
    uploadUrl: `${ctx.baseUrl()}/b2api/v${call.apiVersion}/b2_upload_part/${file.fileId}/${uploadUrlSuffix()}`,
    authorizationToken: ctx.auth.issueUploadToken(session, largeFileTarget(file.fileId)),
  };
}

/** b2_finish_large_file: parts 1..N, each but the last at least the minimum part size, SHA-1s matching. */
export async function finishLargeFile(ctx: ServerContext, call: ApiCall): Promise<Record<string, unknown>> {
  const session = ctx.auth.session(call.authorization);
  const file = activeLargeFile(ctx, requiredString(call.params, 'fileId'));
  checkFileAccess(ctx, session, file);
  const sha1s = call.params.partSha1Array;
  if (!Array.isArray(sha1s) || !sha1s.every((s) => typeof s === 'string')) throw badRequest('partSha1Array must be an array of strings');
  const parts = file.parts ?? [];
  if (sha1s.length < MIN_PARTS) throw badRequest(`A large file needs at least ${MIN_PARTS} parts`);
  if (parts.length !== sha1s.length) throw badRequest(`partSha1Array has ${sha1s.length} entries; ${parts.length} parts were uploaded`);
  parts.forEach((part, i) => {
    if (part.partNumber !== i + 1) throw badRequest(`Part number ${i + 1} is missing`);
    if (part.contentSha1 !== (sha1s[i] as string).toLowerCase()) throw badRequest(`Sha1 of part ${i + 1} does not match partSha1Array`);
    if (i < parts.length - 1 && part.contentLength < ctx.minimumPartSize) {
      throw badRequest(`Part number ${i + 1} is smaller than the minimum part size (${ctx.minimumPartSize} bytes)`);
    }
  });
  await ctx.store.finishLargeFile(file);
  return fileJson(ctx.accountId, file);
}

/** b2_cancel_large_file: removes an unfinished large file and its parts. */
export async function cancelLargeFile(ctx: ServerContext, call: ApiCall): Promise<Record<string, unknown>> {
  const session = ctx.auth.session(call.authorization);
  const file = activeLargeFile(ctx, requiredString(call.params, 'fileId'));
  checkFileAccess(ctx, session, file);
  await ctx.store.deleteFile(file);
  return { accountId: ctx.accountId, bucketId: file.bucketId, fileId: file.fileId, fileName: file.fileName };
}

/** b2_list_parts. */
export function listParts(ctx: ServerContext, call: ApiCall): Record<string, unknown> {
  const session = ctx.auth.session(call.authorization);
  const file = activeLargeFile(ctx, requiredString(call.params, 'fileId'));
  checkFileAccess(ctx, session, file);
  const start = intParam(call.params, 'startPartNumber', 1, 0, 10000);
  const max = intParam(call.params, 'maxPartCount', 100, 0, 1000) || 100;
  const parts = (file.parts ?? []).filter((p) => p.partNumber >= start);
  return {
    parts: parts.slice(0, max).map((p) => ({
      fileId: file.fileId,
      partNumber: p.partNumber,
      contentLength: p.contentLength,
      contentSha1: p.contentSha1,
      serverSideEncryption: { algorithm: null, mode: null },
      uploadTimestamp: p.uploadTimestamp,
    })),
    nextPartNumber: parts[max]?.partNumber ?? null,
  };
}

/** b2_list_unfinished_large_files, oldest first. */
export function listUnfinishedLargeFiles(ctx: ServerContext, call: ApiCall): Record<string, unknown> {
  const session = ctx.auth.session(call.authorization);
  const bucket = accessibleBucket(ctx, session, requiredString(call.params, 'bucketId'));
  const namePrefix = stringParam(call.params, 'namePrefix') ?? '';
  const restriction = session.appKey.namePrefix ?? '';
  if (!namePrefix.startsWith(restriction)) throw new B2ApiError(401, 'unauthorized', `Names are restricted to the prefix "${restriction}"`);
  const startFileId = stringParam(call.params, 'startFileId');
  const max = intParam(call.params, 'maxFileCount', 100, 0, 100) || 100;
  const all = ctx.store.unfinishedLargeFiles(bucket.bucketId).filter((f) => f.fileName.startsWith(namePrefix));
  const from = startFileId === undefined ? 0 : Math.max(0, all.findIndex((f) => f.fileId >= startFileId));
  const files = all.slice(from, from + max);
  return { files: files.map((f) => fileJson(ctx.accountId, f)), nextFileId: all[from + max]?.fileId ?? null };
}

/** b2_copy_part: a part made on the server from a byte range of an existing file. */
export async function copyPart(ctx: ServerContext, call: ApiCall): Promise<Record<string, unknown>> {
  const uploadTimestamp = ctx.clock.now();
  const session = ctx.auth.session(call.authorization);
  const sourceId = requiredString(call.params, 'sourceFileId');
  const source = ctx.store.file(sourceId);
  if (source?.action !== 'upload') throw new B2ApiError(400, 'file_not_present', `Source file not present: ${sourceId}`);
  checkFileAccess(ctx, session, source);
  const file = activeLargeFile(ctx, requiredString(call.params, 'largeFileId'));
  checkFileAccess(ctx, session, file);
  const partNumber = intParam(call.params, 'partNumber', 0, 1, 10000);
  if (partNumber === 0) throw badRequest('Missing parameter: partNumber');
  const range = parseRange(stringParam(call.params, 'range'), source.contentLength) ?? { start: 0, end: source.contentLength - 1 };
  if (range.end - range.start + 1 > MAX_PART_BYTES) throw badRequest('A part must not exceed 5 GB');
  const tempPath = ctx.store.tempPath();
  const meter = new Sha1Meter();
  try {
    await pipeline(readContent(ctx.store, source, range), meter, createWriteStream(tempPath));
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  const part = await ctx.store.addPart(
    file,
    { partNumber, contentLength: meter.bytes, contentSha1: meter.digest(), uploadTimestamp },
    tempPath,
  );
  return {
    fileId: file.fileId,
    partNumber,
    contentLength: part.contentLength,
    contentSha1: part.contentSha1,
    serverSideEncryption: { algorithm: null, mode: null },
    uploadTimestamp,
  };
}

function activeLargeFile(ctx: ServerContext, fileId: string): FileRecord {
  const file = ctx.store.file(fileId);
  if (file?.action !== 'start') throw badRequest(`No active large file with id ${fileId}`);
  return file;
}
