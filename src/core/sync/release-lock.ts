import type { EngineContext } from '../context';
import { BadInputError, type LockHolder } from '../errors';
import type { Identity } from '../identity';
import { describeHolder, forceUnlock, readLockStatus } from '../lock';

/** The lock is someone else's: only its holder releases it; anyone else removes it by its id, on purpose. */
export class NotYourLockError extends BadInputError {
  constructor(readonly holder: LockHolder) {
    super(
      `${describeHolder(holder)}: not yours to unlock.`,
      `If that lock is abandoned, remove it with "b2m force-unlock ${holder.database} ${holder.lockId}" ("b2m: Force Unlock" in VS Code).`,
    );
    this.name = 'NotYourLockError';
  }
}

/** A lock taken by this user on this machine, by any of their processes (a detached `b2m lock`, another window). */
function isOwnLock(holder: LockHolder, identity: Identity): boolean {
  return holder.owner === identity.user && holder.host === identity.host;
}

/**
 * Releases the lock of a database that you hold; returns what it released, or undefined when
 * nobody holds it. Someone else's lock is refused with NotYourLockError and left as it is.
 */
export async function releaseOwnLock(ctx: EngineContext, database: string): Promise<LockHolder | undefined> {
  const store = await ctx.store();
  const options = { prefix: ctx.ws.config.prefix, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const { holder } = await readLockStatus(store, database, options);
  if (!holder) return undefined;
  if (!isOwnLock(holder, ctx.identity)) throw new NotYourLockError(holder);
  await forceUnlock(store, database, holder.lockId, options);
  return holder;
}
