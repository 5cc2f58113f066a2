import type { Identity } from '../../identity';

/** What a lock attempt says about its holder: uploaded as the JSON body and as file info. */
export interface AttemptRecord {
  lockId: string;
  database: string;
  owner: string;
  host: string;
  session: string;
  pid: number;
  operation: string;
  leaseMs: number;
  /** The holder process's facts (`encodeProcessFacts`), where its system tells them: how a dead holder is recognised. */
  process?: string;
  /** The holder's local clock when it made the attempt (informational only). */
  createdAt: string;
  tool: string;
}

export function newAttemptRecord(
  lockId: string,
  database: string,
  identity: Identity,
  operation: string,
  leaseMs: number,
  tool: string,
  pid: number,
  processFacts?: string,
): AttemptRecord {
  return {
    lockId,
    database,
    owner: identity.user,
    host: identity.host,
    session: identity.session,
    pid,
    operation,
    leaseMs,
    ...(processFacts ? { process: processFacts } : {}),
    createdAt: new Date().toISOString(),
    tool,
  };
}

export function encodeAttemptBody(record: AttemptRecord): Uint8Array {
  return Buffer.from(`${JSON.stringify(record, null, 2)}\n`, 'utf8');
}

/** File info keys (B2: lower case, at most 10). */
export function attemptInfo(record: AttemptRecord): Record<string, string> {
  return {
    lockid: record.lockId,
    owner: record.owner,
    host: record.host,
    session: record.session,
    pid: String(record.pid),
    operation: record.operation,
    leasems: String(record.leaseMs),
    ...(record.process ? { proc: record.process } : {}),
  };
}

/** The record from file info, or undefined when the info is incomplete (then read the body). */
export function recordFromInfo(info: Record<string, string>, database: string): AttemptRecord | undefined {
  const leaseMs = Number(info.leasems);
  const pid = Number(info.pid);
  const { lockid, owner, host, session, operation } = info;
  if (!lockid || !owner || !host || !session || !operation || !(leaseMs > 0)) return undefined;
  return {
    lockId: lockid,
    database,
    owner,
    host,
    session,
    pid: Number.isInteger(pid) ? pid : 0,
    operation,
    leaseMs,
    ...(info.proc ? { process: info.proc } : {}),
    createdAt: '',
    tool: '',
  };
}

/** The record from a downloaded body, or undefined if the body is not an attempt b2m wrote. */
export function recordFromBody(body: Buffer): AttemptRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const r = parsed as Partial<Record<keyof AttemptRecord, unknown>>;
  const strings = [r.lockId, r.database, r.owner, r.host, r.session, r.operation];
  if (!strings.every((s) => typeof s === 'string' && s !== '')) return undefined;
  if (typeof r.leaseMs !== 'number' || !(r.leaseMs > 0)) return undefined;
  return {
    lockId: r.lockId as string,
    database: r.database as string,
    owner: r.owner as string,
    host: r.host as string,
    session: r.session as string,
    pid: typeof r.pid === 'number' ? r.pid : 0,
    operation: r.operation as string,
    leaseMs: r.leaseMs,
    ...(typeof r.process === 'string' ? { process: r.process } : {}),
    createdAt: typeof r.createdAt === 'string' ? r.createdAt : '',
    tool: typeof r.tool === 'string' ? r.tool : '',
  };
}
