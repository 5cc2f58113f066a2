import type { EngineContext } from '../context';
import { LockBlockedError, type LockHolder } from '../errors';
import { acquireLock, acquireWithWait, forceUnlock, lockTimingsFromConfig, type Lease, type LockOptions } from '../lock';

/**
 * Takes a database's lock for an engine operation, with the workspace's timings. A lock left by
 * a process of ours that died on this machine (a killed `b2m sync`) is broken at once instead of
 * blocking its owner until the lease runs out.
 */
export async function takeLock(ctx: EngineContext, database: string, operation: string, waitMs?: number): Promise<Lease> {
  const store = await ctx.store();
  const options: LockOptions = {
    identity: ctx.identity,
    operation,
    prefix: ctx.ws.config.prefix,
    timings: lockTimingsFromConfig(ctx.ws.config.lock),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
    ...(ctx.onWarning ? { onWarning: ctx.onWarning } : {}),
  };
  const acquire = (): Promise<Lease> => (waitMs ? acquireWithWait(store, database, { ...options, waitMs }) : acquireLock(store, database, options));
  try {
    return await acquire();
  } catch (e) {
    if (!(e instanceof LockBlockedError) || !isOrphanOfThisMachine(ctx, e.holder)) throw e;
    ctx.onWarning?.(`Breaking lock ${e.holder.lockId} on ${database}: it was left by your process ${e.holder.pid} on ${e.holder.host}, which no longer runs.`);
    await forceUnlock(store, database, e.holder.lockId, { prefix: ctx.ws.config.prefix, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    return acquire();
  }
}

function isOrphanOfThisMachine(ctx: EngineContext, holder: LockHolder): boolean {
  if (holder.host !== ctx.identity.host || holder.owner !== ctx.identity.user || holder.pid === undefined) return false;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
