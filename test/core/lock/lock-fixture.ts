import { randomBytes } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import type { Identity } from '../../../src/core/identity';
import type { LockOptions, LockTimings } from '../../../src/core/lock/index';
import { openB2Store, type B2Store, type B2StoreOptions } from '../../../src/core/store/b2-store';
import type { Store } from '../../../src/core/store/store';
import type { LocalB2 } from '../../support/local-b2';

/**
 * Small timings (settle > maxUpload, lease ≥ 3 × settle), yet lenient enough for uploads to the
 * local server on a 2-core machine busy with other test files, which can take several hundred ms.
 */
export const FAST: LockTimings = { leaseMs: 3000, settleMs: 600, maxUploadMs: 450 };

/** A store of its own (one per simulated user), retrying quickly so injected faults cost little time. */
export function openStore(b2: LocalB2, options: Partial<B2StoreOptions> = {}): Promise<B2Store> {
  return openB2Store({ keyId: b2.keyId, key: b2.key, endpoint: b2.endpoint, bucket: b2.bucket, retryBaseDelayMs: 5, maxAttempts: 4, ...options });
}

export function identity(user: string, host = 'laptop'): Identity {
  return { user, host, session: `${user}-${randomBytes(4).toString('hex')}` };
}

export function lockOptions(who: Identity, overrides: Partial<LockOptions> = {}): LockOptions {
  return { identity: who, operation: 'sync', timings: FAST, ...overrides };
}

/** Every file name under the lock folders, sorted (all versions). */
export async function lockFileNames(store: Store, prefix = ''): Promise<string[]> {
  const names: string[] = [];
  for await (const v of store.listVersions(`${prefix}.b2m/locks/`)) names.push(`${v.name}@${v.id}`);
  return names.sort();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Detects two holders at once without trusting the lock: an in-memory occupancy counter and a
 * marker file created with O_EXCL, both taken on entry and given back on exit.
 */
export class CriticalSection {
  inside = 0;
  entries = 0;
  readonly violations: string[] = [];

  constructor(private readonly markerPath: string) {}

  async enter(who: string): Promise<void> {
    this.entries++;
    if (++this.inside !== 1) this.violations.push(`${who} entered while ${this.inside - 1} other holder(s) were inside`);
    try {
      await (await open(this.markerPath, 'wx')).close();
    } catch (e) {
      this.violations.push(`${who} found the marker file taken (${(e as NodeJS.ErrnoException).code})`);
    }
  }

  async leave(who: string): Promise<void> {
    await unlink(this.markerPath).catch((e: NodeJS.ErrnoException) => this.violations.push(`${who} could not remove the marker (${e.code})`));
    this.inside--;
  }
}
