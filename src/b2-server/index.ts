import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Authenticator, type ApplicationKey } from './auth/authenticator';
import { BandwidthLimiter } from './http/bandwidth';
import { ServerClock } from './test-hooks/clock';
import type { ServerContext } from './context';
import { DataStore } from './storage/data-store';
import { Faults } from './test-hooks/faults';
import { RequestLog } from './test-hooks/request-log';
import { handleRequest } from './http/router';

export type { FaultAction, FaultRule } from './test-hooks/faults';
export type { RequestRecord } from './test-hooks/request-log';
export { Faults } from './test-hooks/faults';
export { RequestLog } from './test-hooks/request-log';
export { ServerClock } from './test-hooks/clock';
export { BandwidthLimiter } from './http/bandwidth';
export { TEST_CONTROL_PREFIX } from './handlers/test-control';

export const DEFAULT_KEY_ID = 'b2m-local-key-id';
export const DEFAULT_KEY = 'b2m-local-application-key';
export const DEFAULT_BUCKET = 'b2m-demo';
/** B2's own values. */
export const DEFAULT_MINIMUM_PART_SIZE = 5_000_000;
export const DEFAULT_RECOMMENDED_PART_SIZE = 100_000_000;
export const DEFAULT_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface RestrictedKey {
  keyId: string;
  key: string;
  /** Bucket name the key is restricted to. */
  bucket: string;
  /** Names the key may touch start with this. */
  namePrefix: string;
}

export interface LocalB2ServerOptions {
  /** 0 (default) picks a free port. The server listens on 127.0.0.1 only. */
  port?: number;
  /** Folder holding all state; created if missing, reused across restarts. */
  dataDir: string;
  /** Buckets created at start if missing (default ['b2m-demo']). */
  buckets?: string[];
  keyId?: string;
  key?: string;
  /** Lifetime of account and upload tokens (default 24 h). */
  tokenLifetimeMs?: number;
  /** absoluteMinimumPartSize: every part but the last must be at least this big (default 5 000 000). */
  minimumPartSize?: number;
  recommendedPartSize?: number;
  restrictedKeys?: RestrictedKey[];
  /**
   * The URL clients reach the server at when it sits behind a proxy (one that adds TLS, say): the
   * apiUrl and downloadUrl it hands out. Its own http://127.0.0.1 address otherwise.
   */
  publicUrl?: string;
  /**
   * Serves the test control API (`/__b2m_test/*`: faults, clock skew, token expiry, request log).
   * Off by default: any local process or web page could otherwise skew the clock and break leases.
   */
  testControl?: boolean;
  /**
   * Simulates a slow link: upload and download bodies of all connections together cross at most
   * this many bytes per second, shared fairly. Unlimited when absent; changeable at run time.
   */
  bandwidthBytesPerSecond?: number;
}

export interface LocalB2Server {
  /** Base URL, e.g. http://127.0.0.1:PORT; also the apiUrl and downloadUrl it hands out. */
  readonly url: string;
  readonly keyId: string;
  readonly key: string;
  readonly accountId: string;
  readonly faults: Faults;
  readonly requests: RequestLog;
  /** The clock behind uploadTimestamp and the Date header; set `offsetMs` to simulate skew. */
  readonly clock: ServerClock;
  /** The simulated link: `setRate(bytesPerSecond | null)` changes it at run time. */
  readonly bandwidth: BandwidthLimiter;
  /** Makes every token issued so far expired. */
  expireTokens(): void;
  close(): Promise<void>;
}

/** Starts a B2-compatible server (native API v1-v4 paths) on 127.0.0.1. */
export async function startLocalB2Server(options: LocalB2ServerOptions): Promise<LocalB2Server> {
  const keyId = options.keyId ?? DEFAULT_KEY_ID;
  const key = options.key ?? DEFAULT_KEY;
  const keys: ApplicationKey[] = [
    { keyId, key },
    ...(options.restrictedKeys ?? []).map((k) => ({ keyId: k.keyId, key: k.key, bucketName: k.bucket, namePrefix: k.namePrefix })),
  ];
  const clock = new ServerClock();
  const store = await DataStore.open(options.dataDir);
  for (const name of options.buckets ?? [DEFAULT_BUCKET]) {
    if (!store.bucketByName(name)) await store.createBucket(name, 'allPrivate');
  }
  let url = '';
  const ctx: ServerContext = {
    store,
    auth: new Authenticator(keys, options.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS, () => clock.now()),
    faults: new Faults(),
    log: new RequestLog(),
    clock,
    bandwidth: new BandwidthLimiter(options.bandwidthBytesPerSecond ?? null),
    accountId: createHash('sha1').update(keyId).digest('hex').slice(0, 12),
    minimumPartSize: options.minimumPartSize ?? DEFAULT_MINIMUM_PART_SIZE,
    recommendedPartSize: options.recommendedPartSize ?? DEFAULT_RECOMMENDED_PART_SIZE,
    baseUrl: () => options.publicUrl ?? url,
    testControl: options.testControl ?? false,
  };
  const closing = new AbortController();
  // No request timeout: a big upload on a slow machine must not be cut by the server.
  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    handleRequest(ctx, req, res, closing.signal).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    keyId,
    key,
    accountId: ctx.accountId,
    faults: ctx.faults,
    requests: ctx.log,
    clock,
    bandwidth: ctx.bandwidth,
    expireTokens: () => ctx.auth.expireAll(),
    close: async () => {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await store.settled();
    },
  };
}
