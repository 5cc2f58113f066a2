import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { B2ApiError, badRequest } from './api-error';
import type { ApiCall, ServerContext } from '../context';
import type { FaultAction } from '../test-hooks/faults';
import { readJsonBody, sendError, sendJson, stringParam } from './http-io';
import { authorizeAccount, createBucket, getUploadUrl, listBuckets } from '../handlers/account-calls';
import { download, type DownloadTarget } from '../handlers/download';
import { deleteFileVersion, getFileInfo, hideFile, listFileNames, listFileVersions } from '../handlers/file-calls';
import {
  cancelLargeFile,
  copyPart,
  finishLargeFile,
  getUploadPartUrl,
  listParts,
  listUnfinishedLargeFiles,
  startLargeFile,
} from '../handlers/large-file-calls';
import { handleTestControl, TEST_CONTROL_PREFIX } from '../handlers/test-control';
import { uploadFile, uploadPart } from '../handlers/upload-calls';
import { b2Decode } from './names';
import type { RequestRecord } from '../test-hooks/request-log';

type JsonHandler = (ctx: ServerContext, call: ApiCall) => Record<string, unknown> | Promise<Record<string, unknown>>;

const JSON_CALLS: Readonly<Record<string, JsonHandler>> = {
  b2_list_buckets: listBuckets,
  b2_create_bucket: createBucket,
  b2_get_upload_url: getUploadUrl,
  b2_list_file_names: listFileNames,
  b2_list_file_versions: listFileVersions,
  b2_get_file_info: getFileInfo,
  b2_hide_file: hideFile,
  b2_delete_file_version: deleteFileVersion,
  b2_start_large_file: startLargeFile,
  b2_get_upload_part_url: getUploadPartUrl,
  b2_finish_large_file: finishLargeFile,
  b2_cancel_large_file: cancelLargeFile,
  b2_list_parts: listParts,
  b2_list_unfinished_large_files: listUnfinishedLargeFiles,
  b2_copy_part: copyPart,
};

type Route =
  | { kind: 'authorize'; apiVersion: number }
  | { kind: 'json'; call: string; apiVersion: number; handler: JsonHandler }
  | { kind: 'upload-file'; bucketId: string }
  | { kind: 'upload-part'; fileId: string }
  | { kind: 'download-by-name'; bucketName: string; fileName: string }
  | { kind: 'download-by-id' }
  | { kind: 'control' }
  | { kind: 'unknown' };

const API_PATH = /^\/b2api\/v([1-4])\/([a-z0-9_]+)(?:\/([^/]+)\/[^/]+)?$/;
const DOWNLOAD_PATH = /^\/file\/([^/]+)\/(.+)$/;

function route(path: string, testControl: boolean): Route {
  if (path.startsWith(TEST_CONTROL_PREFIX)) return testControl ? { kind: 'control' } : { kind: 'unknown' };
  const download = DOWNLOAD_PATH.exec(path);
  if (download) return { kind: 'download-by-name', bucketName: b2Decode(download[1] as string), fileName: b2Decode(download[2] as string) };
  const api = API_PATH.exec(path);
  if (!api) return { kind: 'unknown' };
  const apiVersion = Number(api[1]);
  const call = api[2] as string;
  const target = api[3];
  if (target !== undefined) {
    if (call === 'b2_upload_file') return { kind: 'upload-file', bucketId: target };
    if (call === 'b2_upload_part') return { kind: 'upload-part', fileId: target };
    return { kind: 'unknown' };
  }
  if (call === 'b2_authorize_account') return { kind: 'authorize', apiVersion };
  if (call === 'b2_download_file_by_id') return { kind: 'download-by-id' };
  const handler = JSON_CALLS[call];
  return handler ? { kind: 'json', call, apiVersion, handler } : { kind: 'unknown' };
}

function callName(r: Route, path: string): string {
  switch (r.kind) {
    case 'authorize':
      return 'b2_authorize_account';
    case 'json':
      return r.call;
    case 'upload-file':
      return 'b2_upload_file';
    case 'upload-part':
      return 'b2_upload_part';
    case 'download-by-name':
      return 'b2_download_file_by_name';
    case 'download-by-id':
      return 'b2_download_file_by_id';
    case 'control':
      return 'test_control';
    case 'unknown':
      return `unknown:${path}`;
  }
}

/** Handles one HTTP request: routing, injected faults, the request log and B2-style errors. */
export async function handleRequest(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, closing: AbortSignal): Promise<void> {
  res.setHeader('Date', new Date(ctx.clock.now()).toUTCString()); // clients read the server clock from it
  const url = new URL(req.url ?? '/', 'http://localhost');
  const r = route(url.pathname, ctx.testControl);
  const call = callName(r, url.pathname);
  const entry: RequestRecord = { call, method: req.method ?? 'GET', status: 0 };
  if (r.kind !== 'control') ctx.log.record(entry);
  const fault = r.kind === 'control' ? undefined : ctx.faults.take(call);
  if (fault) entry.fault = fault.kind;
  let answered = true;
  try {
    await applyFault(fault, r, req, closing);
    await dispatch(ctx, r, req, res, url, fault);
  } catch (error) {
    if (req.socket.destroyed || res.headersSent) {
      answered = false;
      res.destroy();
    } else {
      sendError(res, error instanceof B2ApiError ? error : new B2ApiError(500, 'internal_error', String(error)));
    }
  }
  entry.status = answered && res.writableEnded ? res.statusCode : 0;
}

/** Faults that act before the call runs; transfers cut their own connection mid-body. */
async function applyFault(fault: FaultAction | undefined, r: Route, req: IncomingMessage, closing: AbortSignal): Promise<void> {
  if (fault?.kind === 'delay') await sleep(fault.ms, undefined, { signal: closing });
  if (fault?.kind === 'error') {
    const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) };
    throw new B2ApiError(fault.status, fault.code, fault.message ?? 'Injected fault', headers);
  }
  if (fault?.kind === 'disconnect' && !TRANSFERS.has(r.kind)) {
    req.socket.destroy();
    throw new B2ApiError(500, 'internal_error', 'Injected fault: connection cut');
  }
}

const TRANSFERS: ReadonlySet<Route['kind']> = new Set(['upload-file', 'upload-part', 'download-by-name', 'download-by-id']);

async function dispatch(
  ctx: ServerContext,
  r: Route,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  fault: FaultAction | undefined,
): Promise<void> {
  const authorization = req.headers.authorization ?? url.searchParams.get('Authorization') ?? undefined;
  switch (r.kind) {
    case 'authorize':
      return sendJson(res, 200, authorizeAccount(ctx, req, r.apiVersion));
    case 'json': {
      const params = req.method === 'GET' ? Object.fromEntries(url.searchParams) : await readJsonBody(req);
      return sendJson(res, 200, await r.handler(ctx, { params, authorization: req.headers.authorization, apiVersion: r.apiVersion }));
    }
    case 'upload-file':
      return uploadFile(ctx, req, res, r.bucketId, fault);
    case 'upload-part':
      return uploadPart(ctx, req, res, r.fileId, fault);
    case 'download-by-name':
      return download(ctx, req, res, { bucketName: r.bucketName, fileName: r.fileName }, authorization, fault);
    case 'download-by-id': {
      const params = req.method === 'POST' ? await readJsonBody(req) : Object.fromEntries(url.searchParams);
      const fileId = stringParam(params, 'fileId');
      if (!fileId) throw badRequest('Missing parameter: fileId');
      const target: DownloadTarget = { fileId };
      return download(ctx, req, res, target, authorization, fault);
    }
    case 'control':
      return handleTestControl(ctx, req, res, url);
    case 'unknown':
      throw new B2ApiError(404, 'not_found', `Unknown path: ${url.pathname}`);
  }
}
