import type { IncomingMessage, ServerResponse } from 'node:http';
import { B2ApiError, badRequest } from '../http/api-error';
import type { ServerContext } from '../context';
import { parseFaultRule } from '../test-hooks/faults';
import { readJsonBody, sendJson } from '../http/http-io';
import { countByCall } from '../test-hooks/request-log';

/** Path prefix of the test-only control API (not part of B2). */
export const TEST_CONTROL_PREFIX = '/__b2m_test/';

/**
 * The control API for tests that drive the server from another process (served only with the
 * server's testControl option; never to a request that carries an Origin header):
 *   POST   /__b2m_test/faults        a rule, or {rules: [...]}; answers {pending}
 *   GET    /__b2m_test/faults        {pending}
 *   DELETE /__b2m_test/faults        clears all rules
 *   GET    /__b2m_test/requests      {requests: [{call, method, status, fault?}], counts: {<call>: n}};
 *                                     ?call=NAME ('download', '*' as in fault rules) and ?status=N filter
 *   DELETE /__b2m_test/requests      clears the log
 *   POST   /__b2m_test/expire-tokens makes every issued token expired
 *   GET|POST /__b2m_test/clock       {offsetMs} sets the skew of the server clock; answers {now, offsetMs}
 *   GET|POST /__b2m_test/bandwidth   {bytesPerSecond: number | null} limits the link (null: no limit)
 */
export async function handleTestControl(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname;
  // Browsers send Origin with every cross-site POST or fetch: no web page may drive the server.
  if (req.headers.origin !== undefined) throw new B2ApiError(403, 'access_denied', 'The test control API does not answer web pages');
  const route = `${req.method ?? 'GET'} ${path.slice(TEST_CONTROL_PREFIX.length)}`;
  switch (route) {
    case 'POST faults': {
      const body = await readJsonBody(req);
      const rules = Array.isArray(body.rules) ? body.rules : [body];
      const parsed = rules.map(parseFaultRule); // all or nothing
      for (const rule of parsed) ctx.faults.add(rule);
      return sendJson(res, 200, { pending: ctx.faults.pending() });
    }
    case 'GET faults':
      return sendJson(res, 200, { pending: ctx.faults.pending() });
    case 'DELETE faults':
      ctx.faults.clear();
      return sendJson(res, 200, { pending: [] });
    case 'GET requests': {
      const requests = ctx.log.of(url.searchParams.get('call') ?? '*', statusFilter(url.searchParams.get('status')));
      return sendJson(res, 200, { requests, counts: countByCall(requests) });
    }
    case 'DELETE requests':
      ctx.log.clear();
      return sendJson(res, 200, { requests: [] });
    case 'POST expire-tokens':
      ctx.auth.expireAll();
      return sendJson(res, 200, {});
    case 'POST clock': {
      const { offsetMs } = await readJsonBody(req);
      if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs)) throw badRequest('offsetMs must be a number');
      ctx.clock.offsetMs = offsetMs;
      return sendJson(res, 200, { now: ctx.clock.now(), offsetMs });
    }
    case 'GET clock':
      return sendJson(res, 200, { now: ctx.clock.now(), offsetMs: ctx.clock.offsetMs });
    case 'POST bandwidth': {
      const { bytesPerSecond } = await readJsonBody(req);
      if (bytesPerSecond !== null && !(typeof bytesPerSecond === 'number' && Number.isFinite(bytesPerSecond) && bytesPerSecond >= 1)) {
        throw badRequest('bytesPerSecond must be a number of at least 1, or null for no limit');
      }
      ctx.bandwidth.setRate(bytesPerSecond);
      return sendJson(res, 200, { bytesPerSecond });
    }
    case 'GET bandwidth':
      return sendJson(res, 200, { bytesPerSecond: ctx.bandwidth.bytesPerSecond });
    default:
      throw new B2ApiError(404, 'not_found', `Unknown test control route: ${route}`);
  }
}

function statusFilter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const status = Number(value);
  if (!Number.isInteger(status)) throw badRequest(`status must be an HTTP status number, not "${value}"`);
  return status;
}
