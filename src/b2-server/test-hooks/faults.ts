import { badRequest } from '../http/api-error';

/** What an injected fault does to the matching request. */
export type FaultAction =
  /** Answer with this B2 error instead of running the call (503, 429 + Retry-After, 401 expired_auth_token...). */
  | { kind: 'error'; status: number; code: string; message?: string; retryAfterSeconds?: number }
  /** Wait before handling the call normally. */
  | { kind: 'delay'; ms: number }
  /** Destroy the connection: after `afterBytes` bytes of a download or of an upload body; at once otherwise. */
  | { kind: 'disconnect'; afterBytes?: number }
  /** Serve a download with one byte flipped (at `atByte`, default the middle). */
  | { kind: 'corrupt'; atByte?: number }
  /** Serve a download with a wrong X-Bz-Content-Sha1 header. */
  | { kind: 'wrong-sha1-header' };

/**
 * A queued fault: applies to the next `times` (default 1) requests of `call`. `call` is a B2 call
 * name ('b2_upload_file', 'b2_list_file_versions'...), 'download' for both kinds of download, or
 * '*' for any call.
 */
export type FaultRule = FaultAction & { call: string; times?: number };

export function callMatches(pattern: string, call: string): boolean {
  return pattern === '*' || pattern === call || (pattern === 'download' && call.startsWith('b2_download_file_by_'));
}

/** The fault-injection API of the server; rules apply in the order they were added. */
export class Faults {
  private rules: Array<{ rule: FaultRule; remaining: number }> = [];

  add(rule: FaultRule): void {
    const checked = parseFaultRule(rule);
    this.rules.push({ rule: checked, remaining: checked.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Rules not used up yet, with their remaining counts. */
  pending(): FaultRule[] {
    return this.rules.map(({ rule, remaining }) => ({ ...rule, times: remaining }));
  }

  /** Consumes the first rule matching a call, if any. */
  take(call: string): FaultAction | undefined {
    const found = this.rules.find((r) => callMatches(r.rule.call, call));
    if (!found) return undefined;
    found.remaining -= 1;
    if (found.remaining <= 0) this.rules = this.rules.filter((r) => r !== found);
    return found.rule;
  }

  serviceUnavailable(call: string, times = 1): void {
    this.add({ call, times, kind: 'error', status: 503, code: 'service_unavailable', message: 'Injected: service unavailable' });
  }

  tooManyRequests(call: string, retryAfterSeconds = 1, times = 1): void {
    this.add({ call, times, kind: 'error', status: 429, code: 'too_many_requests', message: 'Injected: too many requests', retryAfterSeconds });
  }

  expiredToken(call: string, times = 1): void {
    this.add({ call, times, kind: 'error', status: 401, code: 'expired_auth_token', message: 'Injected: authorization token has expired' });
  }

  disconnect(call: string, afterBytes = 0, times = 1): void {
    this.add({ call, times, kind: 'disconnect', afterBytes });
  }

  delay(call: string, ms: number, times = 1): void {
    this.add({ call, times, kind: 'delay', ms });
  }

  corruptDownload(times = 1, atByte?: number): void {
    this.add({ call: 'download', times, kind: 'corrupt', ...(atByte === undefined ? {} : { atByte }) });
  }

  wrongSha1Header(times = 1): void {
    this.add({ call: 'download', times, kind: 'wrong-sha1-header' });
  }
}

/** Validates a rule that may come from JSON over HTTP. */
export function parseFaultRule(value: unknown): FaultRule {
  if (typeof value !== 'object' || value === null) throw badRequest('A fault rule must be an object');
  const rule = value as Record<string, unknown>;
  const isCount = (v: unknown): boolean => v === undefined || (Number.isInteger(v) && (v as number) >= 0);
  if (typeof rule.call !== 'string' || rule.call === '') throw badRequest('A fault rule needs a call name');
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && (rule.times as number) > 0)) {
    throw badRequest('times must be a positive integer');
  }
  switch (rule.kind) {
    case 'error':
      if (!Number.isInteger(rule.status) || typeof rule.code !== 'string') throw badRequest('An error fault needs status and code');
      if (!isCount(rule.retryAfterSeconds)) throw badRequest('retryAfterSeconds must be a non-negative integer');
      break;
    case 'delay':
      if (!isCount(rule.ms)) throw badRequest('A delay fault needs ms');
      break;
    case 'disconnect':
      if (!isCount(rule.afterBytes)) throw badRequest('afterBytes must be a non-negative integer');
      break;
    case 'corrupt':
      if (!isCount(rule.atByte)) throw badRequest('atByte must be a non-negative integer');
      break;
    case 'wrong-sha1-header':
      break;
    default:
      throw badRequest(`Unknown fault kind: ${String(rule.kind)}`);
  }
  return rule as unknown as FaultRule;
}
