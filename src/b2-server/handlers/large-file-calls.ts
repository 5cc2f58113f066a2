/*
 * The large-file calls, checked against Backblaze's documentation and its Python SDK's simulator
 * (b2sdk, b2sdk/_internal/raw_simulator.py: RawSimulator and BucketSimulator, and the error codes
 * b2sdk reads in b2sdk/_internal/exception.py interpret_b2_error):
 * - Parts are numbered 1..10000 (docs b2_upload_part, b2_copy_part; RawSimulator.upload_part
 *   refuses a higher number with 400 bad_request). Each part is at most 5 GB; every part but the
 *   last at least absoluteMinimumPartSize, the last at least 1 byte
 *   (https://www.backblaze.com/b2/docs/large_files.html). A large file has at least 2 parts (b2sdk's
 *   emerge planner starts one only for two parts or more; the simulator does not check sizes or
 *   counts at all). Uploading a part number again replaces the part (docs b2_upload_part).
 * - b2_finish_large_file (docs; BucketSimulator.finish / FileSimulator.finish): a part number
 *   missing below the highest uploaded one is 400 missing_part; a partSha1Array that is not
 *   exactly the parts' SHA-1s in order is 400 part_sha1_mismatch (the codes interpret_b2_error
 *   maps to MissingPart and PartSha1Mismatch); too-small parts and too few parts are 400
 *   bad_request; finishing twice is 400 (docs: "retrying will result in a 400 Bad Request").
 *   A finished large file has contentSha1 "none" and the upload timestamp of its start.
 * - b2_copy_part (https://www.backblaze.com/apidocs/b2-copy-part; RawSimulator.copy_part): the
 *   source is an existing finished file, of any bucket of the account (docs "Large Files": parts
 *   "copied from existing files in any bucket that belongs to the same account"), readable by the
 *   key; no range copies it all. The range is `bytes=START-END` (the simulator's get_bytes_range):
 *   END before START or past the source's last byte is 416 range_not_satisfiable (UnsatisfiableRange;
 *   the simulator lets END equal the size, one past the last byte, which we do not); more than 5 GB
 *   is 400 bad_request. The docs give no code for a missing source: 400 file_not_present, as
 *   b2_delete_file_version; a hide marker or an unfinished large file as source is 400 bad_request.
 *   As on B2, no bytes move: the part refers to the source's stored content.
 * - b2_cancel_large_file answers {accountId, bucketId, fileId, fileName} (BucketSimulator);
 *   b2_list_unfinished_large_files lists oldest first, at most 100 per call, from startFileId on
 *   (BucketSimulator.list_unfinished_large_files); b2_list_parts from startPartNumber on, at most
 *   1000 per call (docs b2_list_parts).
 */
import { B2ApiError, badRequest } from '../http/api-error';
import { accessibleBucket, checkNameAccess } from '../auth/access';
import { MAX_PART_NUMBER, MIN_PARTS } from '../b2-limits';
import { copiedPartSha1, copyRange } from './copied-part';
import type { ApiCall, ServerContext } from '../context';
import { resolveContentType, validateFileInfo } from '../storage/file-info';
import { intParam, requiredString, stringParam } from '../http/http-io';
import { fileJson, partJson, type FileRecord, type PartRecord } from '../storage/model';
import { validateFileName } from '../http/names';
import { sliceSegments } from '../storage/segments';
import { uploadUrlSuffix } from './account-calls';
import { checkFileAccess } from './file-calls';
import { largeFileTarget } from './upload-calls';

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

/** b2_finish_large_file: parts 1..N with the SHA-1s given, each but the last at least the minimum part size. */
export async function finishLargeFile(ctx: ServerContext, call: ApiCall): Promise<Record<string, unknown>> {
  const session = ctx.auth.session(call.authorization);
  const file = activeLargeFile(ctx, requiredString(call.params, 'fileId'));
  checkFileAccess(ctx, session, file);
  const sha1s = call.params.partSha1Array;
  if (!Array.isArray(sha1s) || !sha1s.every((s) => typeof s === 'string')) throw badRequest('partSha1Array must be an array of strings');
  const parts = file.parts ?? [];
  const missing = parts.findIndex((part, i) => part.partNumber !== i + 1);
  if (missing !== -1) throw new B2ApiError(400, 'missing_part', `Part number ${missing + 1} has not been uploaded`);
  if (sha1s.length !== parts.length || parts.some((part, i) => part.contentSha1 !== (sha1s[i] as string).toLowerCase())) {
    throw new B2ApiError(400, 'part_sha1_mismatch', `partSha1Array does not match the SHA-1s of the ${parts.length} parts, in order`);
  }
  if (parts.length < MIN_PARTS) throw badRequest(`A large file needs at least ${MIN_PARTS} parts; this one has ${parts.length}`);
  checkPartSizes(parts, ctx.minimumPartSize);
  await ctx.store.finishLargeFile(file);
  return fileJson(ctx.accountId, file);
}

function checkPartSizes(parts: readonly PartRecord[], minimumPartSize: number): void {
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    if (!last && part.contentLength < minimumPartSize) {
      throw badRequest(`Part number ${part.partNumber} is smaller than the minimum part size (${minimumPartSize} bytes)`);
    }
    if (last && part.contentLength === 0) throw badRequest(`Part number ${part.partNumber}, the last, is empty; it needs at least 1 byte`);
  }
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
  const start = intParam(call.params, 'startPartNumber', 1, 0, MAX_PART_NUMBER);
  const max = intParam(call.params, 'maxPartCount', 100, 0, 1000) || 100;
  const parts = (file.parts ?? []).filter((p) => p.partNumber >= start);
  return {
    parts: parts.slice(0, max).map((p) => partJson(file.fileId, p)),
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
  const at = startFileId === undefined ? 0 : all.findIndex((f) => f.fileId >= startFileId);
  const from = at === -1 ? all.length : at;
  const files = all.slice(from, from + max);
  return { files: files.map((f) => fileJson(ctx.accountId, f)), nextFileId: all[from + max]?.fileId ?? null };
}

/** b2_copy_part: a part made of a byte range of a finished file, referring to its stored content. */
export async function copyPart(ctx: ServerContext, call: ApiCall): Promise<Record<string, unknown>> {
  const uploadTimestamp = ctx.clock.now();
  const session = ctx.auth.session(call.authorization);
  const sourceId = requiredString(call.params, 'sourceFileId');
  const source = ctx.store.file(sourceId);
  if (!source) throw new B2ApiError(400, 'file_not_present', `Source file not present: ${sourceId}`);
  if (source.action !== 'upload') throw badRequest(`The source ${sourceId} is not a finished file (it is ${source.action === 'hide' ? 'a hide marker' : 'an unfinished large file'})`);
  checkFileAccess(ctx, session, source);
  const largeFileId = requiredString(call.params, 'largeFileId');
  checkFileAccess(ctx, session, activeLargeFile(ctx, largeFileId));
  const partNumber = intParam(call.params, 'partNumber', 0, 1, MAX_PART_NUMBER);
  if (partNumber === 0) throw badRequest('Missing parameter: partNumber');
  const range = copyRange(stringParam(call.params, 'range'), source.contentLength);
  const segments = sliceSegments(source.segments, range);
  const unpin = ctx.store.pin(segments); // the source may be deleted while its bytes are hashed
  try {
    const contentSha1 = await copiedPartSha1(ctx.store, source, range, segments);
    const file = activeLargeFile(ctx, largeFileId); // finished or cancelled meanwhile?
    const part: PartRecord = { partNumber, contentLength: range.end - range.start + 1, contentSha1, uploadTimestamp, segments };
    await ctx.store.addPart(file, part);
    return partJson(file.fileId, part);
  } finally {
    await unpin();
  }
}

function activeLargeFile(ctx: ServerContext, fileId: string): FileRecord {
  const file = ctx.store.file(fileId);
  if (file?.action !== 'start') throw badRequest(`No active large file with id ${fileId}`);
  return file;
}
