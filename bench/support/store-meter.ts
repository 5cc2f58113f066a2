// Records every call the engine makes on its store (the real one, passed through): when it ran,
// what it named, and the bytes it moved, to tell where the time of a sync or a download goes.
import type { PartSource, RangeReceiver, RemoteVersion, Store } from '../../src/core/store/store';
import { bytes, seconds } from './report';

export interface StoreCall {
  method: string;
  /** What the call is about: the database, its manifest, the lock folder, or a listing. */
  purpose: 'database' | 'manifest' | 'lock' | 'other';
  start: number;
  end: number;
  sent: number;
  received: number;
}

/** Each call of `store` is appended to `calls` once it settles (performance.now() clock). */
export function meteredStore(store: Store, calls: StoreCall[]): Store {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = String(property);
      return (...args: unknown[]): unknown => {
        const start = performance.now();
        const purpose = purposeOf(args[0]);
        const record = (sent: number, received: number): void => {
          calls.push({ method, purpose, start, end: performance.now(), sent, received });
        };
        if (method === 'readRanges') {
          let received = 0;
          const receive = args[2] as RangeReceiver;
          args[2] = (position: number, chunk: Buffer) => {
            received += chunk.length;
            return receive(position, chunk);
          };
          return (value as (...a: unknown[]) => Promise<void>).apply(target, args).finally(() => record(0, received));
        }
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (isAsyncIterable(result)) return timedIteration(result, () => record(0, 0));
        if (!(result instanceof Promise)) return result;
        return result.then(
          (settled: unknown) => {
            record(sentBy(method, args, settled), receivedBy(method, settled));
            return settled;
          },
          (error: unknown) => {
            record(0, 0);
            throw error;
          },
        );
      };
    },
  });
}

function purposeOf(first: unknown): StoreCall['purpose'] {
  const name = typeof first === 'string' ? first : typeof first === 'object' && first !== null && 'name' in first ? String((first as { name: unknown }).name) : '';
  if (name.includes('.b2m/locks/')) return 'lock';
  if (name.includes('.b2m/manifests/')) return 'manifest';
  if (name.endsWith('.db')) return 'database';
  return 'other';
}

function sentBy(method: string, args: unknown[], result: unknown): number {
  if (method === 'uploadBytes') return (args[1] as Uint8Array).length;
  if (method === 'uploadFile') return (result as RemoteVersion).size;
  if (method === 'uploadParts') return (args[1] as PartSource[]).filter((p) => p.kind === 'upload').reduce((sum, p) => sum + p.length, 0);
  return 0;
}

function receivedBy(method: string, result: unknown): number {
  if (method === 'downloadBytes') return (result as Buffer).length;
  if (method === 'downloadBytesByName') return (result as { bytes: Buffer } | undefined)?.bytes.length ?? 0;
  if (method === 'downloadToFile') return (result as { size: number }).size;
  return 0;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

async function* timedIteration<T>(source: AsyncIterable<T>, done: () => void): AsyncGenerator<T> {
  try {
    yield* source;
  } finally {
    done();
  }
}

/** Bytes that crossed the link in calls that started in [from, to): sent and received, lock files and manifests included. */
export function wireBytes(calls: readonly StoreCall[], from: number, to: number): { sent: number; received: number } {
  const within = calls.filter((c) => c.start >= from && c.start < to);
  return { sent: within.reduce((s, c) => s + c.sent, 0), received: within.reduce((s, c) => s + c.received, 0) };
}

/**
 * Where the time of [from, to) went, as one line: the store calls by method and purpose (count,
 * summed time, bytes), then the time with no request in flight (local work or a wait).
 */
export function describeWindow(calls: readonly StoreCall[], from: number, to: number): string {
  const within = calls.filter((c) => c.end > from && c.start < to);
  const groups = new Map<string, { count: number; ms: number; moved: number }>();
  for (const c of within) {
    const key = `${c.method} (${c.purpose})`;
    const g = groups.get(key) ?? { count: 0, ms: 0, moved: 0 };
    g.count++;
    g.ms += Math.min(c.end, to) - Math.max(c.start, from);
    g.moved += c.sent + c.received;
    groups.set(key, g);
  }
  const parts = [...groups.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([key, g]) => `${key} ${g.count}× ${seconds(g.ms)}${g.moved > 0 ? ` ${bytes(g.moved)}` : ''}`);
  parts.push(`no request in flight ${seconds(idleTime(within, from, to))}`);
  return parts.join('; ');
}

/**
 * When the lock was held during [from, to): from the end of the listing that decided it (the last
 * listing of the lock folder before the version was finished) to the end of its release (the
 * deletion of the lock attempt after that). Undefined when no lock was taken there.
 */
function lockWindow(calls: readonly StoreCall[], from: number, to: number): { start: number; end: number } | undefined {
  const within = calls.filter((c) => c.start >= from && c.end <= to);
  const finished = within.find((c) => c.purpose === 'database' && (c.method === 'finishLargeFile' || c.method === 'uploadFile'));
  if (!finished) return undefined;
  const decided = within.filter((c) => c.purpose === 'lock' && c.method === 'listVersions' && c.end <= finished.start).at(-1);
  const released = within.find((c) => c.purpose === 'lock' && c.method === 'deleteVersion' && c.start >= finished.end);
  return decided && released ? { start: decided.end, end: released.end } : undefined;
}

/** What happened while the lock was held during [from, to), as describeWindow tells it. */
export function describeLockHold(calls: readonly StoreCall[], from: number, to: number): string {
  const held = lockWindow(calls, from, to);
  return held ? describeWindow(calls, held.start, held.end) : 'no lock taken';
}

/** Time in [from, to) covered by no call. */
function idleTime(calls: readonly StoreCall[], from: number, to: number): number {
  const spans = calls.map((c) => [Math.max(c.start, from), Math.min(c.end, to)] as const).sort((a, b) => a[0] - b[0]);
  let busy = 0;
  let reach = from;
  for (const [start, end] of spans) {
    if (end <= reach) continue;
    busy += end - Math.max(start, reach);
    reach = end;
  }
  return to - from - busy;
}
