import B2, { type B2RequestConfig, type B2Response } from 'backblaze-b2';
import { createHash } from 'node:crypto';
import type { LocalB2 } from '../support/local-b2';

type CallArgs = { axios?: B2RequestConfig; axiosOverride?: B2RequestConfig };

/**
 * The backblaze-b2 1.7.1 client with the calls that the project's declaration
 * (src/core/store/backblaze-b2.d.ts) leaves out because the store does not use them.
 */
export type FullB2 = B2 & {
  listBuckets(args?: CallArgs): Promise<B2Response<unknown>>;
  listFileNames(
    args: CallArgs & { bucketId: string; startFileName?: string; maxFileCount?: number; prefix?: string; delimiter?: string },
  ): Promise<B2Response<unknown>>;
  getFileInfo(args: CallArgs & { fileId: string }): Promise<B2Response<unknown>>;
  downloadFileByName(
    args: CallArgs & { bucketName: string; fileName: string; responseType: 'stream' | 'arraybuffer' },
  ): Promise<B2Response<unknown>>;
};

export interface B2File {
  accountId: string;
  action: 'upload' | 'hide' | 'start' | 'folder';
  bucketId: string;
  contentLength: number;
  contentSha1: string | null;
  contentType: string | null;
  fileId: string | null;
  fileInfo: Record<string, string>;
  fileName: string;
  uploadTimestamp: number;
}

/** A backblaze-b2 client authorized against the local server, without the package's own retries. */
export async function connect(local: LocalB2, keyId = local.keyId, key = local.key): Promise<FullB2> {
  const b2 = new B2({ applicationKeyId: keyId, applicationKey: key, retry: { retries: 0 } });
  await b2.authorize({ axiosOverride: { url: `${local.endpoint}/b2api/v2/b2_authorize_account` } });
  return b2 as FullB2;
}

export async function bucketIdOf(b2: B2, bucketName: string): Promise<string> {
  const res = await b2.getBucket({ bucketName });
  const bucket = (res.data as { buckets: Array<{ bucketId: string }> }).buckets[0];
  if (!bucket) throw new Error(`No bucket ${bucketName}`);
  return bucket.bucketId;
}

/** Uploads a small file through b2_get_upload_url + b2_upload_file. */
export async function upload(b2: B2, bucketId: string, fileName: string, data: Buffer, info?: Record<string, string>): Promise<B2File> {
  const url = (await b2.getUploadUrl({ bucketId })).data as { uploadUrl: string; authorizationToken: string };
  const res = await b2.uploadFile({
    uploadUrl: url.uploadUrl,
    uploadAuthToken: url.authorizationToken,
    fileName,
    data,
    hash: createHash('sha1').update(data).digest('hex'),
    ...(info ? { info } : {}),
  });
  return res.data as B2File;
}

/** The B2 error body of a failed axios call. */
export function b2ErrorOf(error: unknown): { status: number; code: string; message: string } {
  const response = (error as { response?: { data?: unknown } }).response;
  if (!response?.data) throw error;
  return response.data as { status: number; code: string; message: string };
}

