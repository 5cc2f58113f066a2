// A lock holder in a process of its own, driven by lock-processes.test.ts through stdin: 'acquire'
// takes the lock, 'release' releases it; it prints JSON lines (ready, acquired, lost, released) and
// releases by itself when it finds the lock lost.
import { createInterface } from 'node:readline';
import { currentIdentity } from '../../../src/core/identity';
import { acquireLock, type Lease, type LockTimings } from '../../../src/core/lock/index';
import { openB2Store } from '../../../src/core/store/b2-store';

interface HolderArgs {
  endpoint: string;
  keyId: string;
  key: string;
  bucket: string;
  database: string;
  timings: LockTimings;
}

const say = (event: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as HolderArgs;
  const store = await openB2Store({ ...args, retryBaseDelayMs: 5, maxAttempts: 4 });
  const identity = currentIdentity();
  let lease: Lease | undefined;
  const finish = async (): Promise<void> => {
    await lease?.release();
    say({ event: 'released' });
    process.exit(0);
  };
  const acquire = async (): Promise<void> => {
    const held = await acquireLock(store, args.database, { identity, operation: 'manual', timings: args.timings });
    lease = held;
    say({ event: 'acquired', holder: held.holder, session: identity.session });
    held.signal.addEventListener('abort', () => {
      say({ event: 'lost', message: (held.signal.reason as Error).message });
      void finish();
    });
  };
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'acquire') acquire().catch(fail);
    if (line.trim() === 'release') void finish();
  });
  say({ event: 'ready' });
}

function fail(e: unknown): void {
  say({ event: 'error', message: (e as Error).message });
  process.exit(1);
}

main().catch(fail);
