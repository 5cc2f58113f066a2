import { BadInputError } from '../../errors';

/** B2's limits on file names and file info (`X-Bz-Info-*`). */
const MAX_INFO_KEYS = 10;
const MAX_NAME_AND_INFO_BYTES = 7000;
const MAX_NAME_BYTES = 1024;
const INFO_KEY = /^[a-z0-9_-]{1,50}$/;

/** Refuses a name or file info that B2 would reject, before anything is sent. */
export function checkNameAndInfo(name: string, info: Record<string, string>): void {
  const nameBytes = Buffer.byteLength(name, 'utf8');
  if (nameBytes === 0 || nameBytes > MAX_NAME_BYTES || hasControlCharacter(name)) {
    throw new BadInputError(
      `"${name}" is not a valid B2 file name.`,
      'B2 names are 1 to 1024 bytes of UTF-8 without control characters.',
    );
  }
  const keys = Object.keys(info);
  if (keys.length > MAX_INFO_KEYS) {
    throw new BadInputError(`Too much file info for ${name}: ${keys.length} keys, B2 allows ${MAX_INFO_KEYS}.`, 'Drop some keys.');
  }
  let bytes = nameBytes;
  for (const key of keys) {
    if (!INFO_KEY.test(key) || key.startsWith('b2-')) {
      throw new BadInputError(
        `"${key}" is not a valid B2 file info key (for ${name}).`,
        'Use 1 to 50 lower-case letters, digits, "-" or "_", not starting with "b2-".',
      );
    }
    bytes += key.length + encodeInfoValue(info[key] ?? '').length;
  }
  if (bytes > MAX_NAME_AND_INFO_BYTES) {
    throw new BadInputError(
      `The name and file info of ${name} take ${bytes} bytes; B2 allows ${MAX_NAME_AND_INFO_BYTES}.`,
      'Shorten the file info values.',
    );
  }
}

/** B2 wants info header values percent-encoded UTF-8 (encodeURIComponent's output is accepted). */
export function encodeInfoValue(value: string): string {
  return encodeURIComponent(value);
}

/** Decodes a percent-encoded `X-Bz-Info-*` header value; a value that is not valid encoding is kept as sent. */
export function decodeInfoValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
