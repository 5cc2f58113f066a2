import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BUCKET, startLocalB2Server, type LocalB2Server, type LocalB2ServerOptions } from '../../src/b2-server/index';

export interface LocalB2 {
  server: LocalB2Server;
  /** Base URL; authorize against `${endpoint}/b2api/v2/b2_authorize_account`. */
  endpoint: string;
  keyId: string;
  key: string;
  /** The bucket created for the test. */
  bucket: string;
  dataDir: string;
  /** Stops the server and deletes its data folder. */
  close(): Promise<void>;
}

/**
 * A local B2 server on a random port with a fresh temporary data folder, for any test of the
 * project, with the test control API on. Options other than dataDir pass through (e.g. a small
 * minimumPartSize).
 */
export async function withLocalB2(options: Partial<LocalB2ServerOptions> = {}): Promise<LocalB2> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'b2m-local-b2-')));
  const buckets = options.buckets ?? [DEFAULT_BUCKET];
  const server = await startLocalB2Server({ testControl: true, ...options, port: options.port ?? 0, dataDir, buckets });
  return {
    server,
    endpoint: server.url,
    keyId: server.keyId,
    key: server.key,
    bucket: buckets[0] ?? DEFAULT_BUCKET,
    dataDir,
    close: async () => {
      await server.close();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
