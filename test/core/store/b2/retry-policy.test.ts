import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledError } from '../../../../src/core/errors';
import { parseRetryAfter } from '../../../../src/core/store/b2/failure';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, sleep } from '../../../../src/core/store/b2/retry-policy';

describe('retry policy', () => {
  it('grows ×1.5 from 1 s and stops at 64 s, as b2sdk does', () => {
    const middle = (retry: number): number => backoffDelayMs(DEFAULT_RETRY_POLICY, retry, () => 0.5);
    assert.deepEqual([1, 2, 3, 4].map(middle), [1000, 1500, 2250, 3375]);
    assert.equal(middle(20), 64_000);
  });

  it('jitters within ±25 %', () => {
    assert.equal(backoffDelayMs(DEFAULT_RETRY_POLICY, 1, () => 0), 750);
    assert.equal(backoffDelayMs(DEFAULT_RETRY_POLICY, 1, () => 1), 1250);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6_000);
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });

  it('sleeps until aborted', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const waiting = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(waiting, CancelledError);
    assert.ok(performance.now() - started < 1000);
  });
});
