import type { Workspace } from './config';
import type { Store } from './store/store';
import { openB2Store, type B2StoreOptions } from './store/b2-store';
import type { B2Credentials } from './store/credentials';

/**
 * Opens the workspace's bucket with the given key. The endpoint comes from the credentials
 * (B2M_ENDPOINT) or else b2m.json's `endpoint` (a local B2 server for demos and tests).
 */
export function openWorkspaceStore(
  ws: Workspace,
  credentials: B2Credentials,
  options: Pick<B2StoreOptions, 'logger' | 'signal' | 'proxy'> = {},
): Promise<Store> {
  const endpoint = credentials.endpoint ?? ws.config.endpoint;
  return openB2Store({
    keyId: credentials.keyId,
    key: credentials.key,
    bucket: ws.config.bucket,
    ...(endpoint ? { endpoint } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.proxy ? { proxy: options.proxy } : {}),
  });
}

/** Memoises an async factory: the first call starts it, later calls share the result. */
export function once<T>(factory: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= factory().catch((e: unknown) => {
      promise = undefined;
      throw e;
    });
    return promise;
  };
}
