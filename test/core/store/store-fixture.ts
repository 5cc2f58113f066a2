import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openB2Store, type B2Store, type B2StoreOptions } from '../../../src/core/store/b2-store';
import type { LocalB2ServerOptions } from '../../../src/b2-server/index';
import { withLocalB2, type LocalB2 } from '../../support/local-b2';

export const MB = 1024 * 1024;

export interface StoreFixture {
  b2: LocalB2;
  store: B2Store;
  dir: string;
  logs: string[];
  open(overrides?: Partial<B2StoreOptions>): Promise<B2Store>;
  close(): Promise<void>;
}

/**
 * A local B2 server, a store on it with fast retries and 5 MB parts (large files from 6 MB), and
 * a scratch folder; `close()` stops and removes all of it.
 */
export async function storeFixture(
  overrides: Partial<B2StoreOptions> = {},
  serverOptions: Partial<LocalB2ServerOptions> = {},
): Promise<StoreFixture> {
  const b2 = await withLocalB2(serverOptions);
  const dir = await mkdtemp(join(tmpdir(), 'b2m-store-test-'));
  const logs: string[] = [];
  const open = (more: Partial<B2StoreOptions> = {}): Promise<B2Store> =>
    openB2Store({
      keyId: b2.keyId,
      key: b2.key,
      bucket: b2.bucket,
      endpoint: b2.endpoint,
      partSize: 5 * MB,
      largeFileThreshold: 6 * MB,
      retryBaseDelayMs: 5,
      logger: (line) => logs.push(line),
      ...overrides,
      ...more,
    });
  try {
    const store = await open();
    return {
      b2,
      store,
      dir,
      logs,
      open,
      close: async () => {
        await b2.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await b2.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export async function randomFile(dir: string, name: string, size: number): Promise<{ path: string; data: Buffer; sha1: string }> {
  const data = randomBytes(size);
  const path = join(dir, name);
  await writeFile(path, data);
  return { path, data, sha1: sha1Of(data) };
}

export function sha1Of(data: Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}

/** Files in `dir` whose names are not in `expected`: leftovers such as temporary downloads. */
export async function strayFiles(dir: string, expected: string[]): Promise<string[]> {
  return (await readdir(dir)).filter((name) => !expected.includes(name));
}
