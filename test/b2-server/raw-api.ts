import { createHash } from 'node:crypto';
import type { LocalB2 } from '../support/local-b2';

/** A part of a large file: uploaded bytes, or a range (`bytes=a-b`, default all) of a stored file. */
export type PartSpec = { upload: Buffer } | { copy: string; range?: string };

/** Plain-fetch access to the local server, to test the wire protocol itself. */
export interface RawResponse {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

export function basicAuth(keyId: string, key: string): string {
  return `Basic ${Buffer.from(`${keyId}:${key}`).toString('base64')}`;
}

export function sha1Hex(data: Buffer | string): string {
  return createHash('sha1').update(data).digest('hex');
}

/** A Buffer as a fetch body (the DOM typings want an ArrayBuffer-backed view; a Buffer is one). */
export function bodyOf(data: Buffer): BodyInit {
  return data as unknown as BodyInit;
}

/** A fetch response body as Node chunks. */
export function chunksOf(res: Response): AsyncIterable<Uint8Array> {
  if (!res.body) throw new Error('Response has no body');
  return res.body as unknown as AsyncIterable<Uint8Array>;
}

async function asRaw(res: Response): Promise<RawResponse> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function authorizeRaw(local: LocalB2, keyId = local.keyId, key = local.key, version = 'v2'): Promise<RawResponse> {
  return asRaw(await fetch(`${local.endpoint}/b2api/${version}/b2_authorize_account`, { headers: { Authorization: basicAuth(keyId, key) } }));
}

/** A session of raw calls with one account token. */
export class RawClient {
  private constructor(
    readonly local: LocalB2,
    readonly token: string,
    readonly bucketId: string,
  ) {}

  static async open(local: LocalB2, keyId = local.keyId, key = local.key): Promise<RawClient> {
    const auth = await authorizeRaw(local, keyId, key);
    if (auth.status !== 200) throw new Error(`authorize failed: ${JSON.stringify(auth.json)}`);
    const token = auth.json.authorizationToken as string;
    const buckets = await RawClient.callWith(local, token, 'b2_list_buckets', { accountId: auth.json.accountId, bucketName: local.bucket });
    const bucketId = (buckets.json.buckets as Array<{ bucketId: string }>)[0]?.bucketId ?? '';
    return new RawClient(local, token, bucketId);
  }

  static async callWith(local: LocalB2, token: string, call: string, body: unknown): Promise<RawResponse> {
    const res = await fetch(`${local.endpoint}/b2api/v2/${call}`, {
      method: 'POST',
      headers: { Authorization: token, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return asRaw(res);
  }

  call(call: string, body: unknown): Promise<RawResponse> {
    return RawClient.callWith(this.local, this.token, call, body);
  }

  async uploadUrl(): Promise<{ uploadUrl: string; authorizationToken: string }> {
    const res = await this.call('b2_get_upload_url', { bucketId: this.bucketId });
    return res.json as { uploadUrl: string; authorizationToken: string };
  }

  /** b2_upload_file with explicit headers (defaults: the SHA-1 of data, b2/x-auto). */
  async upload(fileName: string, data: Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
    const url = await this.uploadUrl();
    const res = await fetch(url.uploadUrl, {
      method: 'POST',
      headers: {
        Authorization: url.authorizationToken,
        'X-Bz-File-Name': encodeURIComponent(fileName).replace(/%2F/g, '/'),
        'Content-Type': 'b2/x-auto',
        'X-Bz-Content-Sha1': sha1Hex(data),
        ...headers,
      },
      body: bodyOf(data),
    });
    return asRaw(res);
  }

  download(fileName: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
    const path = fileName.split('/').map(encodeURIComponent).join('/');
    return fetch(`${this.local.endpoint}/file/${this.local.bucket}/${path}`, { method, headers: { Authorization: this.token, ...headers } });
  }

  downloadById(fileId: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.local.endpoint}/b2api/v2/b2_download_file_by_id?fileId=${encodeURIComponent(fileId)}`, {
      headers: { Authorization: this.token, ...headers },
    });
  }

  /** b2_start_large_file; returns the new file's id. */
  async startLargeFile(fileName: string, fileInfo: Record<string, string> = {}): Promise<string> {
    const res = await this.call('b2_start_large_file', { bucketId: this.bucketId, fileName, contentType: 'b2/x-auto', fileInfo });
    if (res.status !== 200) throw new Error(JSON.stringify(res.json));
    return res.json.fileId as string;
  }

  /** b2_get_upload_part_url + b2_upload_part (default: the SHA-1 of data). */
  async uploadPart(fileId: string, partNumber: number, data: Buffer, sha1 = sha1Hex(data)): Promise<RawResponse> {
    const url = (await this.call('b2_get_upload_part_url', { fileId })).json as { uploadUrl: string; authorizationToken: string };
    const res = await fetch(url.uploadUrl, {
      method: 'POST',
      headers: { Authorization: url.authorizationToken, 'X-Bz-Part-Number': String(partNumber), 'X-Bz-Content-Sha1': sha1 },
      body: bodyOf(data),
    });
    return asRaw(res);
  }

  copyPart(sourceFileId: string, largeFileId: string, partNumber: number, range?: string): Promise<RawResponse> {
    return this.call('b2_copy_part', { sourceFileId, largeFileId, partNumber, ...(range === undefined ? {} : { range }) });
  }

  /**
   * A finished large file made of uploaded parts and ranges copied from other files, in order;
   * returns its id.
   */
  async buildLargeFile(fileName: string, parts: PartSpec[]): Promise<string> {
    const fileId = await this.startLargeFile(fileName);
    const sha1s: string[] = [];
    for (const [i, spec] of parts.entries()) {
      const res = 'upload' in spec ? await this.uploadPart(fileId, i + 1, spec.upload) : await this.copyPart(spec.copy, fileId, i + 1, spec.range);
      if (res.status !== 200) throw new Error(`part ${i + 1}: ${JSON.stringify(res.json)}`);
      sha1s.push(res.json.contentSha1 as string);
    }
    const finished = await this.call('b2_finish_large_file', { fileId, partSha1Array: sha1s });
    if (finished.status !== 200) throw new Error(JSON.stringify(finished.json));
    return fileId;
  }

  async listVersions(body: Record<string, unknown> = {}): Promise<Array<Record<string, unknown>>> {
    const res = await this.call('b2_list_file_versions', { bucketId: this.bucketId, maxFileCount: 1000, ...body });
    if (res.status !== 200) throw new Error(JSON.stringify(res.json));
    return res.json.files as Array<Record<string, unknown>>;
  }
}
