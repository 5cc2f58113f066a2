import type { IncomingHttpHeaders } from 'node:http';
import { badRequest } from '../http/api-error';
import { b2Decode } from '../http/names';

const MAX_INFO_KEYS = 10;
const MAX_NAME_AND_INFO_BYTES = 7000;
const INFO_HEADER_PREFIX = 'x-bz-info-';
const KEY_PATTERN = /^[a-z0-9_-]+$/;

/** Reserved `b2-*` info keys, returned on download as these HTTP headers. */
export const SPECIAL_INFO_HEADERS: Readonly<Record<string, string>> = {
  'b2-content-disposition': 'Content-Disposition',
  'b2-content-language': 'Content-Language',
  'b2-expires': 'Expires',
  'b2-cache-control': 'Cache-Control',
  'b2-content-encoding': 'Content-Encoding',
};

/** File info from `X-Bz-Info-*` upload headers: keys lower case, values percent-decoded. */
export function fileInfoFromHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const info: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(INFO_HEADER_PREFIX) || typeof value !== 'string') continue;
    info[name.slice(INFO_HEADER_PREFIX.length)] = b2Decode(value);
  }
  return info;
}

/** Checks file info as B2 does: at most 10 keys, allowed characters, reserved prefix, total size. */
export function validateFileInfo(fileName: string, info: unknown): Record<string, string> {
  if (info == null) return {};
  if (typeof info !== 'object' || Array.isArray(info)) throw badRequest('fileInfo must be an object');
  const entries = Object.entries(info as Record<string, unknown>);
  if (entries.length > MAX_INFO_KEYS) throw badRequest(`Too many file info entries: at most ${MAX_INFO_KEYS} allowed`);
  let bytes = Buffer.byteLength(fileName);
  const result: Record<string, string> = {};
  for (const [rawKey, value] of entries) {
    const key = rawKey.toLowerCase();
    if (!KEY_PATTERN.test(key)) throw badRequest(`Invalid file info key: ${rawKey}`);
    if (key.startsWith('b2-') && !(key in SPECIAL_INFO_HEADERS)) throw badRequest(`Reserved file info key: ${rawKey}`);
    if (typeof value !== 'string') throw badRequest(`File info value of ${rawKey} must be a string`);
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
    result[key] = value;
  }
  if (bytes > MAX_NAME_AND_INFO_BYTES) throw badRequest('File name and file info must not exceed 7000 bytes');
  return result;
}

const AUTO_CONTENT_TYPES: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  json: 'application/json',
  html: 'text/html',
  csv: 'text/csv',
  py: 'text/x-python',
  sql: 'application/sql',
  db: 'application/x-sqlite3',
  sqlite: 'application/x-sqlite3',
  png: 'image/png',
  jpg: 'image/jpeg',
  gz: 'application/gzip',
  zip: 'application/zip',
};

/** Resolves `b2/x-auto` from the name's extension, as B2 does; other types pass through. */
export function resolveContentType(requested: string | undefined, fileName: string): string {
  if (requested && requested !== 'b2/x-auto') return requested;
  const extension = /\.([^./]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  return AUTO_CONTENT_TYPES[extension] ?? 'application/octet-stream';
}
