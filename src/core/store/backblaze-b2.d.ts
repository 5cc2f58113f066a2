// Types for the parts of `backblaze-b2` 1.7.1 (which ships none) that the B2 store uses.
// Every call merges `axios` (defaults), its own request options, then `axiosOverride` (wins),
// and resolves with the raw axios response.
declare module 'backblaze-b2' {
  export interface B2RequestConfig {
    url?: string;
    headers?: Record<string, string | number>;
    data?: unknown;
    signal?: AbortSignal;
    responseType?: 'json' | 'stream' | 'arraybuffer';
    maxRedirects?: number;
    maxContentLength?: number;
    maxBodyLength?: number;
    validateStatus?: ((status: number) => boolean) | null;
    [option: string]: unknown;
  }

  export interface B2Response<T> {
    status: number;
    headers: Record<string, string | undefined>;
    data: T;
  }

  interface CallArgs {
    axios?: B2RequestConfig;
    axiosOverride?: B2RequestConfig;
  }

  class B2 {
    constructor(options: { applicationKeyId: string; applicationKey: string; retry?: { retries?: number } });
    authorizationToken: string | null;
    apiUrl: string | null;
    downloadUrl: string | null;
    authorize(args?: CallArgs): Promise<B2Response<unknown>>;
    getBucket(args: CallArgs & { bucketName: string }): Promise<B2Response<unknown>>;
    getUploadUrl(args: CallArgs & { bucketId: string }): Promise<B2Response<unknown>>;
    uploadFile(
      args: CallArgs & {
        uploadUrl: string;
        uploadAuthToken: string;
        fileName: string;
        data: NodeJS.ReadableStream | Buffer;
        contentLength?: number;
        hash: string;
        mime?: string;
        info?: Record<string, string>;
      },
    ): Promise<B2Response<unknown>>;
    listFileVersions(
      args: CallArgs & { bucketId: string; startFileName?: string; startFileId?: string; maxFileCount?: number },
    ): Promise<B2Response<unknown>>;
    listFileNames(
      args: CallArgs & { bucketId: string; startFileName?: string; maxFileCount?: number; prefix?: string; delimiter?: string },
    ): Promise<B2Response<unknown>>;
    hideFile(args: CallArgs & { bucketId: string; fileName: string }): Promise<B2Response<unknown>>;
    downloadFileById(args: CallArgs & { fileId: string; responseType: 'stream' | 'arraybuffer' }): Promise<B2Response<unknown>>;
    downloadFileByName(args: CallArgs & { bucketName: string; fileName: string; responseType: 'stream' | 'arraybuffer' }): Promise<B2Response<unknown>>;
    deleteFileVersion(args: CallArgs & { fileId: string; fileName: string }): Promise<B2Response<unknown>>;
    startLargeFile(args: CallArgs & { bucketId: string; fileName: string; contentType?: string }): Promise<B2Response<unknown>>;
    getUploadPartUrl(args: CallArgs & { fileId: string }): Promise<B2Response<unknown>>;
    uploadPart(
      args: CallArgs & {
        uploadUrl: string;
        uploadAuthToken: string;
        partNumber: number;
        data: NodeJS.ReadableStream | Buffer;
        contentLength: number;
        hash: string;
      },
    ): Promise<B2Response<unknown>>;
    finishLargeFile(args: CallArgs & { fileId: string; partSha1Array: string[] }): Promise<B2Response<unknown>>;
    cancelLargeFile(args: CallArgs & { fileId: string }): Promise<B2Response<unknown>>;
    listParts(args: CallArgs & { fileId: string }): Promise<B2Response<unknown>>;
  }

  export default B2;
}

// The package's shared axios instance, used for the calls it lacks (b2_list_unfinished_large_files, b2_copy_part...).
declare module 'backblaze-b2/lib/request' {
  import type { B2RequestConfig, B2Response } from 'backblaze-b2';

  export function getInstance(): (config: B2RequestConfig & { method: string }) => Promise<B2Response<unknown>>;
}
