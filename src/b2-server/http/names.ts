import { badRequest } from './api-error';

const MAX_NAME_BYTES = 1024;
const MAX_SEGMENT_BYTES = 250;

/** B2's percent-decoding of names and info values in headers and URLs ('+' stands for a space). */
export function b2Decode(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw badRequest(`Invalid percent-encoding: ${encoded}`);
  }
}

/** Percent-encodes a name for a header, keeping '/' readable as B2 does. */
export function b2Encode(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}

/** Refuses names that B2 refuses (length, control characters, empty segments). */
export function validateFileName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) throw badRequest('fileName is required');
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw badRequest('File names must not exceed 1024 bytes');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw badRequest('File names must not contain control characters');
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
    throw badRequest('File names must not start or end with "/" or contain "//"');
  }
  if (name.split('/').some((segment) => Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)) {
    throw badRequest('File name segments must not exceed 250 bytes');
  }
  return name;
}

/** B2 orders names by their UTF-8 bytes, which differs from JS string order above U+FFFF. */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
