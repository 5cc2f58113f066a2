import type { Authenticator } from './auth/authenticator';
import type { BandwidthLimiter } from './http/bandwidth';
import type { ServerClock } from './test-hooks/clock';
import type { DataStore } from './storage/data-store';
import type { Faults } from './test-hooks/faults';
import type { RequestLog } from './test-hooks/request-log';

/** Everything a request handler needs from the running server. */
export interface ServerContext {
  readonly store: DataStore;
  readonly auth: Authenticator;
  readonly faults: Faults;
  readonly log: RequestLog;
  readonly clock: ServerClock;
  /** The simulated link that upload and download bodies cross. */
  readonly bandwidth: BandwidthLimiter;
  readonly accountId: string;
  readonly minimumPartSize: number;
  readonly recommendedPartSize: number;
  /** Whether `/__b2m_test/*` is served (otherwise it is an unknown path). */
  readonly testControl: boolean;
  /** e.g. http://127.0.0.1:PORT */
  baseUrl(): string;
}

/** One JSON API call: its parameters (JSON body or query string) and account token. */
export interface ApiCall {
  params: Record<string, unknown>;
  authorization: string | undefined;
  /** 1..4, from the /b2api/vN/ path. */
  apiVersion: number;
}
