import { CancelledError } from '../../errors';
import { CERTIFICATE_CODES, fromClientError, PROXY_REFUSED, TransportError } from './transport-error';

/**
 * What went wrong with one attempt of a B2 call, and what to do about it:
 * - `reauthorize`: the account token expired or was rejected; authorize again, then retry;
 * - `retry`: a transient failure (408, 429, 5xx, a cut or stalled connection); back off, then retry;
 * - `refused`: nothing listens at the address; one quick retry, then give up;
 * - `denied`: the key may not do this (401 unauthorized, 403);
 * - `cancelled`: the caller's AbortSignal fired;
 * - `fatal`: anything else B2 answered (400 bad_request, 404 not_found, ...), an untrusted certificate, a proxy's refusal;
 * - `local`: not a B2 or network failure at all (a disk error, a bug); rethrown as is.
 */
export type FailureKind = 'reauthorize' | 'retry' | 'refused' | 'denied' | 'cancelled' | 'fatal' | 'local';

export interface Failure {
  kind: FailureKind;
  status?: number;
  /** B2's error code, or the network error's. */
  code?: string;
  /** B2's message, or the network error's. */
  detail: string;
  /** The origin that was asked, when known. */
  origin?: string;
  /** From `Retry-After`, when the server sent one. */
  retryAfterMs?: number;
  error: unknown;
}

/** Whether a failure is a server certificate that could not be verified. */
export function isCertificateFailure(failure: Failure): boolean {
  return failure.code !== undefined && CERTIFICATE_CODES.has(failure.code);
}

export function describeFailure(error: unknown, signal?: AbortSignal): Failure {
  if (signal?.aborted || isCancellation(error)) return { kind: 'cancelled', detail: 'cancelled', error };
  const transport = error instanceof TransportError ? error : fromClientError(error);
  if (!transport) return { kind: 'local', detail: error instanceof Error ? error.message : String(error), error };
  const { code, status, body, headers, origin } = transport.details;
  switch (transport.kind) {
    case 'connect':
      if (code !== undefined && (CERTIFICATE_CODES.has(code) || code === PROXY_REFUSED)) return { kind: 'fatal', code, detail: transport.message, origin, error };
      return { kind: code === 'ECONNREFUSED' ? 'refused' : 'retry', code, detail: transport.message, origin, error };
    case 'reset':
    case 'timeout':
      return { kind: 'retry', code, detail: transport.message, origin, error };
    case 'status': {
      const failure = { status, code: body?.code, detail: body?.message ?? `HTTP ${status}`, origin, error };
      const answered = status ?? 0;
      if (answered === 401 && (body?.code === 'expired_auth_token' || body?.code === 'bad_auth_token')) return { ...failure, kind: 'reauthorize' };
      if (answered === 401 || answered === 403) return { ...failure, kind: 'denied' };
      if (answered === 408 || answered === 429 || answered >= 500) return { ...failure, kind: 'retry', retryAfterMs: parseRetryAfter(headers?.['retry-after']) };
      return { ...failure, kind: 'fatal' };
    }
  }
}

/** A CancelledError, or the HTTP client's or the platform's own word for an aborted request. */
function isCancellation(error: unknown): boolean {
  if (error instanceof CancelledError) return true;
  return (error as { code?: string } | null)?.code === 'ERR_CANCELED' || (error instanceof Error && error.name === 'AbortError');
}

/** `Retry-After` is either seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
