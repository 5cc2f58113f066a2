import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { B2ApiError, badRequest } from '../http/api-error';
import { MAX_PART_BYTES } from '../b2-limits';
import { ConnectionCutter, Sha1Meter, TrailingSha1Splitter } from '../http/body-streams';
import type { PacedStream } from '../http/bandwidth';
import type { DataStore } from '../storage/data-store';
import type { FaultAction } from '../test-hooks/faults';

const WRITE_CHUNK_BYTES = 1024 * 1024;

export type Sha1Expectation = { kind: 'given'; sha1: string } | { kind: 'at-end' } | { kind: 'unverified' };

export interface ReceivedBody {
  tempPath: string;
  contentLength: number;
  /** SHA-1 of the content as received. */
  sha1: string;
  /** What to store as contentSha1: the verified hex, or `unverified:<hex>` for do_not_verify. */
  storedSha1: string;
}

/** Reads the headers that describe an upload body (Content-Length and X-Bz-Content-Sha1). */
export function describeBody(req: IncomingMessage): { declaredLength: number; expectation: Sha1Expectation } {
  const lengthHeader = req.headers['content-length'];
  if (lengthHeader === undefined) throw badRequest('Missing header: Content-Length (chunked uploads are not supported)');
  const declaredLength = Number(lengthHeader);
  if (!Number.isSafeInteger(declaredLength) || declaredLength < 0) throw badRequest('Invalid Content-Length');
  if (declaredLength > MAX_PART_BYTES) throw badRequest(`Content-Length exceeds 5 GB (${MAX_PART_BYTES} bytes): the most a file or a part may be`);
  const sha1Header = req.headers['x-bz-content-sha1'];
  if (typeof sha1Header !== 'string' || sha1Header === '') throw badRequest('Missing header: X-Bz-Content-Sha1');
  if (sha1Header === 'hex_digits_at_end') {
    if (declaredLength < 40) throw badRequest('Content-Length is too short for hex_digits_at_end');
    return { declaredLength, expectation: { kind: 'at-end' } };
  }
  if (sha1Header === 'do_not_verify') {
    return { declaredLength, expectation: { kind: 'unverified' } };
  }
  if (!/^[0-9a-fA-F]{40}$/.test(sha1Header)) throw badRequest(`Invalid X-Bz-Content-Sha1: ${sha1Header}`);
  return { declaredLength, expectation: { kind: 'given', sha1: sha1Header.toLowerCase() } };
}

/**
 * Streams a request body into a temp file of the data folder at the pace of the link, while
 * hashing it, then checks its SHA-1. Removes the temp file on any failure.
 */
export async function receiveBody(
  store: DataStore,
  req: IncomingMessage,
  declaredLength: number,
  expectation: Sha1Expectation,
  fault: FaultAction | undefined,
  paced: PacedStream,
): Promise<ReceivedBody> {
  if (fault?.kind === 'disconnect' && (declaredLength === 0 || !fault.afterBytes)) {
    req.socket.destroy();
    throw new B2ApiError(500, 'internal_error', 'Injected fault: connection cut');
  }
  const tempPath = store.tempPath();
  const meter = new Sha1Meter();
  const splitter = expectation.kind === 'at-end' ? new TrailingSha1Splitter() : undefined;
  const stages: Transform[] = [paced];
  if (fault?.kind === 'disconnect') {
    stages.push(new ConnectionCutter(Math.min(fault.afterBytes ?? 0, declaredLength - 1), () => req.socket.destroy()));
  }
  if (splitter) stages.push(splitter);
  stages.push(meter);
  try {
    await pipeline([req, ...stages, createWriteStream(tempPath, { highWaterMark: WRITE_CHUNK_BYTES })]);
    const received = meter.bytes + (splitter ? 40 : 0);
    if (received !== declaredLength) throw badRequest(`Received ${received} bytes, Content-Length was ${declaredLength}`);
    const sha1 = meter.digest();
    const expected = expectation.kind === 'given' ? expectation.sha1 : splitter?.trailer().toLowerCase();
    if (expected !== undefined && expected !== sha1) throw badRequest('Sha1 did not match data received');
    return { tempPath, contentLength: meter.bytes, sha1, storedSha1: expectation.kind === 'unverified' ? `unverified:${sha1}` : sha1 };
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}
