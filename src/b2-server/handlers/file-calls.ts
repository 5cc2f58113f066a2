import { B2ApiError, badRequest } from '../http/api-error';
import { accessibleBucket, checkNameAccess } from '../auth/access';
import type { Session } from '../auth/authenticator';
import type { ListPage, ListRequest } from '../storage/bucket-index';
import type { ApiCall, ServerContext } from '../context';
import { sequenceOfFileId } from '../storage/file-id';
import { intParam, requiredString, stringParam } from '../http/http-io';
import { fileJson, folderJson, HIDE_MARKER_CONTENT_TYPE, type FileRecord } from '../storage/model';
import { validateFileName } from '../http/names';

const DEFAULT_MAX_FILE_COUNT = 100;
const MAX_FILE_COUNT = 10000;

/** b2_list_file_names: the visible version of each name. */
export function listFileNames(ctx: ServerContext, call: ApiCall): Record<string, unknown> {
  const { bucketId, request } = listRequest(ctx, call, false);
  const page = ctx.store.index(bucketId).listNames(request);
  return { files: pageJson(ctx, bucketId, page), nextFileName: nextOf(page).name };
}

/** b2_list_file_versions: every version, names in order, newest first within a name. */
export function listFileVersions(ctx: ServerContext, call: ApiCall): Record<string, unknown> {
  const { bucketId, request } = listRequest(ctx, call, true);
  const page = ctx.store.index(bucketId).listVersions(request);
  const next = nextOf(page);
  return { files: pageJson(ctx, bucketId, page), nextFileName: next.name, nextFileId: next.id };
}

/** b2_get_file_info. */
export function getFileInfo(ctx: ServerContext, call: ApiCall): Record<string, unknown> {
  const session = ctx.auth.session(call.authorization);
  const fileId = requiredString(call.params, 'fileId');
  const file = ctx.store.file(fileId);
  if (!file) throw new B2ApiError(404, 'not_found', `File not present: ${fileId}`);
  checkFileAccess(ctx, session, file);
  return fileJson(ctx.accountId, file);
}

/** b2_hide_file: adds a hide marker as the newest version of a name. */
export async function hideFile(ctx: ServerContext, call: ApiCall): Promise<Record<string, unknown>> {
  const uploadTimestamp = ctx.clock.now();
  const session = ctx.auth.session(call.authorization);
  const bucket = accessibleBucket(ctx, session, requiredString(call.params, 'bucketId'));
  const fileName = validateFileName(call.params.fileName);
  checkNameAccess(session, fileName);
  const index = ctx.store.index(bucket.bucketId);
  if (!index.versionsOf(fileName).some((v) => v.action === 'upload')) {
    throw new B2ApiError(404, 'no_such_file', `File not present: ${fileName}`);
  }
  const { fileId, sequence } = ctx.store.allocateId(bucket.bucketId, uploadTimestamp, false);
  const marker: FileRecord = {
    fileId,
    bucketId: bucket.bucketId,
    fileName,
    action: 'hide',
    contentType: HIDE_MARKER_CONTENT_TYPE,
    contentLength: 0,
    contentSha1: 'none',
    fileInfo: {},
    uploadTimestamp,
    sequence,
    segments: [],
  };
  await ctx.store.addRecord(marker);
  return fileJson(ctx.accountId, marker);
}

/** b2_delete_file_version: needs the name and the id; deleting the newest makes the previous current. */
export async function deleteFileVersion(ctx: ServerContext, call: ApiCall): Promise<Record<string, unknown>> {
  const session = ctx.auth.session(call.authorization);
  const fileId = requiredString(call.params, 'fileId');
  const fileName = requiredString(call.params, 'fileName');
  const file = ctx.store.file(fileId);
  if (!file || file.fileName !== fileName) {
    throw new B2ApiError(400, 'file_not_present', `File not present: ${fileName} ${fileId}`);
  }
  checkFileAccess(ctx, session, file);
  await ctx.store.deleteFile(file);
  return { fileId, fileName };
}

export function checkFileAccess(ctx: ServerContext, session: Session, file: FileRecord): void {
  accessibleBucket(ctx, session, file.bucketId);
  checkNameAccess(session, file.fileName);
}

function listRequest(ctx: ServerContext, call: ApiCall, withStartId: boolean): { bucketId: string; request: ListRequest } {
  const session = ctx.auth.session(call.authorization);
  const bucket = accessibleBucket(ctx, session, requiredString(call.params, 'bucketId'));
  const prefix = stringParam(call.params, 'prefix') ?? '';
  const restriction = session.appKey.namePrefix ?? '';
  if (!prefix.startsWith(restriction)) {
    throw new B2ApiError(401, 'unauthorized', `The application key is restricted to names starting with "${restriction}"; list with that prefix`);
  }
  const delimiter = stringParam(call.params, 'delimiter') || null;
  const startFileName = stringParam(call.params, 'startFileName') ?? '';
  const startFileId = withStartId ? stringParam(call.params, 'startFileId') : undefined;
  let startSequence: number | undefined;
  if (startFileId) {
    if (startFileName === '') throw badRequest('startFileId requires startFileName');
    startSequence = sequenceOfFileId(startFileId);
    if (startSequence === undefined) throw badRequest(`Invalid startFileId: ${startFileId}`);
  }
  const maxFileCount = intParam(call.params, 'maxFileCount', DEFAULT_MAX_FILE_COUNT, 0, MAX_FILE_COUNT) || DEFAULT_MAX_FILE_COUNT;
  return { bucketId: bucket.bucketId, request: { prefix, delimiter, startFileName, startSequence, maxFileCount } };
}

function pageJson(ctx: ServerContext, bucketId: string, page: ListPage): Record<string, unknown>[] {
  return page.entries.map((e) => (e.kind === 'file' ? fileJson(ctx.accountId, e.file) : folderJson(ctx.accountId, bucketId, e.name)));
}

function nextOf(page: ListPage): { name: string | null; id: string | null } {
  if (!page.next) return { name: null, id: null };
  return page.next.kind === 'file' ? { name: page.next.file.fileName, id: page.next.file.fileId } : { name: page.next.name, id: null };
}
