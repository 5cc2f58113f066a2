import type { Readable } from 'node:stream';
import type { ErrorJson } from './b2-json';

/**
 * What went wrong with one attempt of a B2 call, and what to do about it:
 * - `reauthorize`: the account token expired or was rejected; authorize again, then retry;
 * - `retry`: a transient failure (408, 429, 5xx, network); back off, then retry;
 * - `denied`: the key may not do this (401 unauthorized, 403);
 * - `cancelled`: the caller's AbortSignal fired;
 * - `fatal`: anything else B2 answered (400 bad_request, 404 not_found, ...);
 * - `local`: not a B2 or network failure at all (a disk error, a bug); rethrown as is.
 */
export type FailureKind = 'reauthorize' | 'retry' | 'denied' | 'cancelled' | 'fatal' | 'local';

export interface Failure {
  kind: FailureKind;
  status?: number;
  code?: string;
  /** B2's message, or the network error's. */
  detail: string;
  /** From `Retry-After`, when the server sent one. */
  retryAfterMs?: number;
  error: unknown;
}

interface HttpishError {
  isAxiosError?: boolean;
  cause?: unknown;
  code?: string;
  message?: string;
  response?: { status: number; headers?: Record<string, unknown>; data?: unknown };
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_NETWORK',
  'ERR_BAD_RESPONSE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
]);

/** TLS verification failures (OpenSSL's names, as Node reports them): retrying cannot help. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Whether a failure is a server certificate that could not be verified. */
export function isCertificateFailure(failure: Failure): boolean {
  return failure.code !== undefined && CERTIFICATE_CODES.has(failure.code);
}

export async function describeFailure(error: unknown, signal?: AbortSignal): Promise<Failure> {
  if (signal?.aborted) return { kind: 'cancelled', detail: 'cancelled', error };
  const e = (typeof error === 'object' && error !== null ? error : {}) as HttpishError;
  if (e.code === 'ERR_CANCELED' || (error instanceof Error && error.name === 'AbortError')) {
    return { kind: 'cancelled', detail: 'cancelled', error };
  }
  const response = e.response;
  const certificateCode = [e.code, (e.cause as HttpishError | undefined)?.code].find((c) => c !== undefined && CERTIFICATE_CODES.has(c));
  if (!response && certificateCode !== undefined) return { kind: 'fatal', code: certificateCode, detail: e.message ?? String(error), error };
  if (!response) {
    const network = e.isAxiosError === true || (e.code !== undefined && NETWORK_CODES.has(e.code));
    return { kind: network ? 'retry' : 'local', code: e.code, detail: e.message ?? String(error), error };
  }
  const body = await readErrorBody(response.data);
  const status = response.status;
  const failure = { status, code: body.code, detail: body.message ?? `HTTP ${status}`, error };
  if (status === 401 && (body.code === 'expired_auth_token' || body.code === 'bad_auth_token')) {
    return { ...failure, kind: 'reauthorize' };
  }
  if (status === 401 || status === 403) return { ...failure, kind: 'denied' };
  if (status === 408 || status === 429 || status >= 500) {
    return { ...failure, kind: 'retry', retryAfterMs: parseRetryAfter(response.headers?.['retry-after']) };
  }
  return { ...failure, kind: 'fatal' };
}

/** `Retry-After` is either seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Error bodies arrive parsed (JSON calls), as a Buffer (arraybuffer downloads) or as a stream. */
async function readErrorBody(data: unknown): Promise<ErrorJson> {
  let text: string | undefined;
  if (typeof data === 'string') text = data;
  else if (Buffer.isBuffer(data)) text = data.toString('utf8');
  else if (isReadable(data)) text = await readSmallStream(data);
  else if (typeof data === 'object' && data !== null) return data as ErrorJson;
  if (!text) return {};
  try {
    return JSON.parse(text) as ErrorJson;
  } catch {
    return { message: text.slice(0, 200) };
  }
}

function isReadable(data: unknown): data is Readable {
  return typeof data === 'object' && data !== null && typeof (data as Readable).pipe === 'function';
}

async function readSmallStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      chunks.push(buffer);
      size += buffer.length;
      if (size > 64 * 1024) break;
    }
  } catch {
    // A body cut short still tells us the status; the text is a bonus.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}
