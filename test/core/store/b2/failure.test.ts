import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledError } from '../../../../src/core/errors';
import { describeFailure } from '../../../../src/core/store/b2/failure';
import { TransportError } from '../../../../src/core/store/b2/transport-error';

const answered = (status: number, code?: string, headers: Record<string, string> = {}): TransportError =>
  new TransportError('status', `HTTP ${status}`, { status, headers, body: code ? { status, code, message: `${code} message` } : {} });

/** An error as axios (the HTTP client of backblaze-b2) raises it. */
const axiosError = (fields: Record<string, unknown>): Error => Object.assign(new Error('axios says no'), { isAxiosError: true, ...fields });

describe('describeFailure', () => {
  it('retries 408, 429 (with its Retry-After), 5xx, cut and stalled connections', () => {
    assert.equal(describeFailure(answered(408)).kind, 'retry');
    assert.deepEqual(
      { ...describeFailure(answered(429, 'too_many_requests', { 'retry-after': '7' })), error: undefined },
      { kind: 'retry', status: 429, code: 'too_many_requests', detail: 'too_many_requests message', origin: undefined, retryAfterMs: 7000, error: undefined },
    );
    for (const status of [500, 502, 503]) assert.equal(describeFailure(answered(status)).kind, 'retry');
    assert.equal(describeFailure(new TransportError('reset', 'cut', { code: 'ERR_STREAM_PREMATURE_CLOSE' })).kind, 'retry');
    assert.equal(describeFailure(new TransportError('timeout', 'stalled', { code: 'ETIMEDOUT' })).kind, 'retry');
    assert.equal(describeFailure(axiosError({ code: 'ECONNRESET' })).kind, 'retry');
  });

  it('authorizes again on an expired or bad token; other refusals are denials', () => {
    assert.equal(describeFailure(answered(401, 'expired_auth_token')).kind, 'reauthorize');
    assert.equal(describeFailure(answered(401, 'bad_auth_token')).kind, 'reauthorize');
    assert.equal(describeFailure(answered(401, 'unauthorized')).kind, 'denied');
    assert.equal(describeFailure(answered(403, 'access_denied')).kind, 'denied');
  });

  it('gives up at once on what retrying cannot fix', () => {
    assert.equal(describeFailure(answered(400, 'bad_request')).kind, 'fatal');
    assert.equal(describeFailure(answered(404, 'not_found')).kind, 'fatal');
    assert.equal(describeFailure(new TransportError('connect', 'untrusted', { code: 'SELF_SIGNED_CERT_IN_CHAIN' })).kind, 'fatal');
    assert.equal(describeFailure(axiosError({ code: 'ERR_BAD_REQUEST', cause: { code: 'CERT_HAS_EXPIRED' } })).kind, 'fatal');
  });

  it('tells a refused connection apart, with the origin it went to', () => {
    const failure = describeFailure(axiosError({ code: 'ECONNREFUSED', config: { url: 'http://127.0.0.1:9/b2api/v2/b2_authorize_account' } }));
    assert.equal(failure.kind, 'refused');
    assert.equal(failure.origin, 'http://127.0.0.1:9');
  });

  it('reads the status, code and Retry-After of an axios answer', () => {
    const failure = describeFailure(
      axiosError({ response: { status: 503, headers: { 'Retry-After': '2' }, data: { status: 503, code: 'service_unavailable', message: 'busy' } } }),
    );
    assert.deepEqual([failure.kind, failure.status, failure.code, failure.detail, failure.retryAfterMs], ['retry', 503, 'service_unavailable', 'busy', 2000]);
  });

  it('passes cancellations and local errors through', () => {
    assert.equal(describeFailure(new CancelledError()).kind, 'cancelled');
    assert.equal(describeFailure(answered(503), AbortSignal.abort()).kind, 'cancelled');
    assert.equal(describeFailure(axiosError({ code: 'ERR_CANCELED' })).kind, 'cancelled');
    assert.equal(describeFailure(Object.assign(new Error('disk full'), { code: 'ENOSPC' })).kind, 'local');
  });
});
