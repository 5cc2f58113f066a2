import { createHash } from 'node:crypto';
import type { B2Response } from 'backblaze-b2';
import { RemoteError } from '../../errors';
import { wholeFileSha1 } from '../b2-json';
import type { B2Session } from '../b2-session';
import { integrityError } from '../download';
import type { VersionRef } from '../download-segment';
import { decodeInfoValue } from '../file-info';
import type { RemoteVersion, TransferOptions } from '../store';

const INFO_HEADER = 'x-bz-info-';

/** Downloads a small version into memory, checking its SHA-1. */
export async function downloadBytes(session: B2Session, version: VersionRef, options: TransferOptions = {}): Promise<Buffer> {
  const { signal } = options;
  const response = await session.run(
    'b2_download_file_by_id',
    async () =>
      session.observe(
        await session.client.downloadFileById({ ...session.args(signal), fileId: encodeURIComponent(version.id), responseType: 'arraybuffer' }),
      ),
    { signal },
  );
  return checkedBody(version, response, options);
}

/** Downloads the newest visible version of a small file by name, or undefined if there is none (404). */
export async function downloadBytesByName(
  session: B2Session,
  name: string,
  options: TransferOptions = {},
): Promise<{ bytes: Buffer; version: RemoteVersion } | undefined> {
  const { signal } = options;
  let response: B2Response<unknown>;
  try {
    response = await session.run(
      'b2_download_file_by_name',
      async () =>
        session.observe(
          await session.client.downloadFileByName({ ...session.args(signal), bucketName: session.bucketName, fileName: name, responseType: 'arraybuffer' }),
        ),
      { signal },
    );
  } catch (error) {
    if (error instanceof RemoteError && error.status === 404) return undefined;
    throw error;
  }
  const version = versionOfDownload(name, response.headers);
  return { bytes: checkedBody(version, response, options), version };
}

/** The body, if its SHA-1 is the one the server gave (whole-file or `large_file_sha1`). */
function checkedBody(version: VersionRef, response: B2Response<unknown>, options: TransferOptions): Buffer {
  const data = Buffer.from(response.data as ArrayBuffer);
  const sha1 = createHash('sha1').update(data).digest('hex');
  const expected = wholeFileSha1(response.headers['x-bz-content-sha1'], decodeInfoValue(response.headers[`${INFO_HEADER}large_file_sha1`] ?? ''));
  if (expected && expected !== sha1) throw integrityError(version, sha1, expected);
  options.onProgress?.(data.length, data.length);
  return data;
}

/** The version a download answer describes, from its `X-Bz-*` headers. */
function versionOfDownload(name: string, headers: Record<string, string | undefined>): RemoteVersion {
  const info: Record<string, string> = {};
  for (const [header, value] of Object.entries(headers)) {
    if (header.toLowerCase().startsWith(INFO_HEADER) && value !== undefined) info[header.slice(INFO_HEADER.length).toLowerCase()] = decodeInfoValue(value);
  }
  return {
    id: headers['x-bz-file-id'] ?? '',
    name,
    action: 'upload',
    size: Number(headers['content-length'] ?? 0),
    uploadTimestamp: Number(headers['x-bz-upload-timestamp'] ?? 0),
    sha1: wholeFileSha1(headers['x-bz-content-sha1'], info['large_file_sha1']),
    info,
  };
}
