import type { EngineContext } from '../context';
import { LockBlockedError, type LockHolder } from '../errors';
import { acquireLock, acquireWithWait, forceUnlock, lockTimingsFromConfig, type Lease, type LockOptions } from '../lock';
import { decodeProcessFacts, isProvablyGone, ownProcessFacts } from '../lock/process-facts';

/**
 * Takes a database's lock for an engine operation, with the workspace's timings. A lock left by
 * a process of yours that provably died on this machine (a killed `b2m sync`) is broken at once
 * instead of blocking you until the lease runs out.
 */
export async function takeLock(ctx: EngineContext, database: string, operation: string, options: { waitMs?: number; attemptId?: string } = {}): Promise<Lease> {
  const store = await ctx.store();
  const lockOptions: LockOptions = {
    identity: ctx.identity,
    operation,
    prefix: ctx.ws.config.prefix,
    timings: lockTimingsFromConfig(ctx.ws.config.lock),
    ...(options.attemptId ? { attemptId: options.attemptId } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
    ...(ctx.onWarning ? { onWarning: ctx.onWarning } : {}),
  };
  const { waitMs } = options;
  const acquire = (): Promise<Lease> => (waitMs ? acquireWithWait(store, database, { ...lockOptions, waitMs }) : acquireLock(store, database, lockOptions));
  try {
    return await acquire();
  } catch (e) {
    if (!(e instanceof LockBlockedError) || !isOrphanOfThisMachine(ctx, e.holder)) throw e;
    await breakOrphan(ctx, database, e.holder);
    return acquire();
  }
}

/** Removes a lock left by a process of yours that no longer runs on this machine, saying so. */
export async function breakOrphan(ctx: EngineContext, database: string, holder: LockHolder): Promise<void> {
  ctx.onWarning?.(`Breaking lock ${holder.lockId} on ${database}: it was left by your process ${holder.pid ?? ''} on ${holder.host}, which no longer runs.`);
  await forceUnlock(await ctx.store(), database, holder.lockId, { prefix: ctx.ws.config.prefix, ...(ctx.signal ? { signal: ctx.signal } : {}) });
}

/** A lock of yours whose process provably died on this machine. Host, user and pid alone never prove it. */
export function isOrphanOfThisMachine(ctx: EngineContext, holder: LockHolder): boolean {
  if (holder.owner !== ctx.identity.user) return false;
  return isProvablyGone(decodeProcessFacts(holder.process), ownProcessFacts());
}
