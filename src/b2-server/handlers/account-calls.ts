import type { IncomingMessage } from 'node:http';
import { B2ApiError, badRequest, unauthorized } from '../http/api-error';
import { accessibleBucket } from '../auth/access';
import type { ApiCall, ServerContext } from '../context';
import { requiredString, stringParam } from '../http/http-io';
import { bucketJson } from '../storage/model';
import { bucketTarget } from './upload-calls';

/** b2_authorize_account: Basic auth with an application key; v3+ answers in the apiInfo shape (v4: bucket lists). */
export function authorizeAccount(ctx: ServerContext, req: IncomingMessage, apiVersion: number): Record<string, unknown> {
  const { token, session } = ctx.auth.authorize(req.headers.authorization);
  const { appKey } = session;
  const bucket = appKey.bucketName === undefined ? undefined : ctx.store.bucketByName(appKey.bucketName);
  const capabilities = ctx.auth.capabilities(appKey);
  const base = ctx.baseUrl();
  const urls = {
    apiUrl: base,
    downloadUrl: base,
    s3ApiUrl: base,
    recommendedPartSize: ctx.recommendedPartSize,
    absoluteMinimumPartSize: ctx.minimumPartSize,
  };
  const restriction = {
    bucketId: bucket?.bucketId ?? null,
    bucketName: appKey.bucketName ?? null,
    namePrefix: appKey.namePrefix ?? null,
  };
  if (apiVersion >= 3) {
    const storageApi: Record<string, unknown> = { ...urls, ...restriction, capabilities, infoType: 'storageApi' };
    if (apiVersion >= 4) {
      // v4 allows several buckets per key: lists of ids and names.
      const bucketIds = bucket ? [bucket.bucketId] : null;
      const bucketNames = appKey.bucketName === undefined ? null : [appKey.bucketName];
      Object.assign(storageApi, { bucketIds, bucketNames, allowed: { bucketIds, bucketNames, capabilities, namePrefix: restriction.namePrefix } });
    }
    return {
      accountId: ctx.accountId,
      authorizationToken: token,
      applicationKeyExpirationTimestamp: null,
      apiInfo: { storageApi, ...(apiVersion >= 4 ? { groupsApi: {} } : {}) },
    };
  }
  return {
    accountId: ctx.accountId,
    authorizationToken: token,
    allowed: { ...restriction, capabilities },
    ...urls,
  };
}

/** b2_list_buckets: a key restricted to a bucket must name it (by id or name). */
export function listBuckets(ctx: ServerContext, call: ApiCall): Record<string, unknown> {
  const session = ctx.auth.session(call.authorization);
  checkAccountId(ctx, call);
  const bucketId = stringParam(call.params, 'bucketId');
  const bucketName = stringParam(call.params, 'bucketName');
  const restrictedTo = session.appKey.bucketName;
  if (restrictedTo !== undefined) {
    const named = bucketName ?? (bucketId === undefined ? undefined : ctx.store.bucket(bucketId)?.bucketName ?? bucketId);
    if (named !== restrictedTo) throw unauthorized(`The application key is restricted to bucket ${restrictedTo}; name it in bucketId or bucketName`);
  }
  const buckets = ctx.store
    .listBuckets()
    .filter((b) => (bucketId === undefined || b.bucketId === bucketId) && (bucketName === undefined || b.bucketName === bucketName));
  return { buckets: buckets.map((b) => bucketJson(ctx.accountId, b)) };
}

const BUCKET_NAME = /^[A-Za-z0-9-]{6,63}$/;

/** b2_create_bucket (master key only). */
export async function createBucket(ctx: ServerContext, call: ApiCall): Promise<Record<string, unknown>> {
  const session = ctx.auth.session(call.authorization);
  if (session.appKey.bucketName !== undefined) throw unauthorized('The application key may not create buckets');
  checkAccountId(ctx, call);
  const bucketName = requiredString(call.params, 'bucketName');
  const bucketType = requiredString(call.params, 'bucketType');
  if (!BUCKET_NAME.test(bucketName) || bucketName.toLowerCase().startsWith('b2-')) {
    throw badRequest('Bucket names are 6 to 63 letters, digits or "-", and must not start with "b2-"');
  }
  if (bucketType !== 'allPrivate' && bucketType !== 'allPublic') throw badRequest('bucketType must be allPrivate or allPublic');
  if (ctx.store.bucketByName(bucketName)) throw new B2ApiError(400, 'duplicate_bucket_name', `Bucket name is already in use: ${bucketName}`);
  return bucketJson(ctx.accountId, await ctx.store.createBucket(bucketName, bucketType));
}

/** b2_get_upload_url: an upload URL and token for one bucket. */
export function getUploadUrl(ctx: ServerContext, call: ApiCall): Record<string, unknown> {
  const session = ctx.auth.session(call.authorization);
  const bucket = accessibleBucket(ctx, session, requiredString(call.params, 'bucketId'));
  return {
    bucketId: bucket.bucketId,
    uploadUrl: `${ctx.baseUrl()}/b2api/v${call.apiVersion}/b2_upload_file/${bucket.bucketId}/${uploadUrlSuffix()}`,
    authorizationToken: ctx.auth.issueUploadToken(session, bucketTarget(bucket.bucketId)),
  };
}

/** The last path part of an upload URL, shaped like B2's (`c001_v0001000_t0042`). */
export function uploadUrlSuffix(): string {
  return `c001_v0001000_t${String(Math.floor(Math.random() * 10000)).padStart(4, '0')}`;
}

function checkAccountId(ctx: ServerContext, call: ApiCall): void {
  const accountId = stringParam(call.params, 'accountId');
  if (accountId !== undefined && accountId !== ctx.accountId) throw unauthorized(`Wrong accountId: ${accountId}`);
}
