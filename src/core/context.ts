import type { Workspace } from './config';
import type { Identity } from './identity';
import type { ProgressListener } from './progress';
import type { Store } from './store/store';

/**
 * Everything an engine operation needs, supplied by a front end (CLI or extension):
 * the workspace, who is acting, how to reach the bucket, and how to report.
 */
export interface EngineContext {
  ws: Workspace;
  identity: Identity;
  /** Opens (once) the store for the workspace's bucket. */
  store(): Promise<Store>;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Non-fatal news the user should see (a broken stale lock, a rebase, a slow webhook). */
  onWarning?: (message: string) => void;
}
