import type { IncomingMessage, ServerResponse } from 'node:http';
import { B2ApiError, badRequest } from './api-error';

const MAX_JSON_BODY_BYTES = 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'max-age=0, no-cache, no-store',
  });
  res.end(text);
}

/** Aborts when the response's connection closes (after the answer, or when the client goes away). */
export function closedSignal(res: ServerResponse): AbortSignal {
  const closed = new AbortController();
  res.once('close', () => closed.abort(new Error('The connection closed.')));
  return closed.signal;
}

export function sendError(res: ServerResponse, error: B2ApiError): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  sendJson(res, error.status, { status: error.status, code: error.code, message: error.message });
}

/** The JSON body of an API call; an empty body is `{}`. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BODY_BYTES) throw badRequest('Request body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('Request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('Request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** Reads an optional integer parameter (JSON number or, for GET calls, a numeric string). */
export function intParam(params: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const raw = params[name];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

export function stringParam(params: Record<string, unknown>, name: string): string | undefined {
  const raw = params[name];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw badRequest(`${name} must be a string`);
  return raw;
}

export function requiredString(params: Record<string, unknown>, name: string): string {
  const value = stringParam(params, name);
  if (value === undefined || value === '') throw badRequest(`Missing parameter: ${name}`);
  return value;
}

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/**
 * Parses `bytes=a-b`, `bytes=a-` or `bytes=-n` against a size. Returns undefined for no or an
 * unsupported Range (served whole, as HTTP allows); throws 416 when it cannot be satisfied.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const unsatisfiable = (): B2ApiError =>
    new B2ApiError(416, 'range_not_satisfiable', `The range ${header} is not satisfiable for a file of ${size} bytes`, {
      'Content-Range': `bytes */${size}`,
    });
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) throw unsatisfiable();
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) throw unsatisfiable();
  return { start, end };
}
