import type { ErrorJson } from './json';

/**
 * How an HTTP exchange with B2 failed, whichever client made it:
 * - `connect`: no connection (refused, unknown host, unreachable, TLS or proxy refusal);
 * - `reset`: the connection broke (closed early, reset, an answer that is not HTTP);
 * - `timeout`: nothing arrived for too long while something was awaited;
 * - `status`: the server answered with a status other than 2xx (its B2 error body read).
 */
export type TransportErrorKind = 'connect' | 'reset' | 'timeout' | 'status';

export interface TransportErrorDetails {
  /** The system or TLS code (ECONNREFUSED, CERT_HAS_EXPIRED...), when there is one. */
  code?: string;
  /** The origin (scheme, host, port) that was asked. */
  origin?: string;
  status?: number;
  /** Response headers, lower-case names (for `status`). */
  headers?: Record<string, string | undefined>;
  /** B2's error body (for `status`). */
  body?: ErrorJson;
}

export class TransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly details: TransportErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** TLS verification failures (OpenSSL's names, as Node reports them): retrying cannot help. */
export const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
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

/** A proxy that refuses by rule (credentials, allowed hosts): asking again will not help. */
export const PROXY_REFUSED = 'PROXY_REFUSED';

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_NETWORK', 'ERR_BAD_RESPONSE', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_SOCKET_CLOSED']);

/** What a socket or TLS error code means for the exchange; undefined for codes that are not about the network. */
export function kindOfCode(code: string | undefined): TransportErrorKind | undefined {
  if (code === undefined) return undefined;
  if (CONNECT_CODES.has(code) || CERTIFICATE_CODES.has(code)) return 'connect';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  return RESET_CODES.has(code) ? 'reset' : undefined;
}

/** The shape of the errors of the HTTP client behind `backblaze-b2` (axios). */
interface ClientError {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  cause?: { code?: string };
  config?: { url?: string };
  response?: { status: number; headers?: Record<string, unknown>; data?: unknown };
}

/** An error of the `backblaze-b2` client (axios) as a TransportError; undefined if it is not about the exchange. */
export function fromClientError(error: unknown): TransportError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as ClientError;
  const origin = originOf(e.config?.url);
  if (e.response) {
    const { status } = e.response;
    const headers = Object.fromEntries(Object.entries(e.response.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value === undefined ? undefined : String(value)]));
    return new TransportError('status', `HTTP ${status}`, { status, headers, body: errorBodyOf(e.response.data), origin }, { cause: error });
  }
  const code = [e.code, e.cause?.code].find((c) => c !== undefined && CERTIFICATE_CODES.has(c)) ?? e.cause?.code ?? e.code;
  const kind = kindOfCode(code) ?? kindOfCode(e.code) ?? (e.isAxiosError === true ? 'reset' : undefined);
  return kind === undefined ? undefined : new TransportError(kind, e.message ?? String(error), { code, origin }, { cause: error });
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url === undefined ? undefined : new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Error bodies of JSON calls arrive parsed, as text or as bytes. */
function errorBodyOf(data: unknown): ErrorJson {
  if (typeof data === 'string') return parseErrorBody(data);
  if (Buffer.isBuffer(data)) return parseErrorBody(data.toString('utf8'));
  return typeof data === 'object' && data !== null ? (data as ErrorJson) : {};
}

/** B2's JSON error body from text (or the start of whatever came instead). */
export function parseErrorBody(text: string): ErrorJson {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) return parsed as ErrorJson;
  } catch {
    // not JSON: a proxy's or a web server's page
  }
  return { message: text.slice(0, 200) };
}
