import { resolveDatabase } from '../../core/config';
import { BadInputError } from '../../core/errors';
import { formatTime } from '../../core/format';
import { describeHolder, forceUnlock, readLockStatus } from '../../core/lock';
import { releaseOwnLock } from '../../core/sync/release-lock';
import { takeLock } from '../../core/sync/take-lock';
import { JSON_OPTION, type Command } from '../command';
import { databaseAndArgument } from '../database-and-phrase';
import { cliContext } from '../engine-context';

export const lockCommand: Command = {
  name: 'lock',
  summary: 'take the lock of a database by hand and hold it until Ctrl+C (or --detach)',
  usage: 'b2m lock [DB] [--detach] [--json]',
  details: 'With --detach the command exits at once and the lease runs out after lock.leaseSeconds unless you "b2m unlock" first.',
  options: {
    ...JSON_OPTION,
    detach: { type: 'boolean', description: 'exit at once, leaving the lock held until its lease runs out or "b2m unlock"', default: 'hold it, renewing the lease, until Ctrl+C' },
  },
  async run(args, io) {
    const ctx = await cliContext(io);
    const database = resolveDatabase(ctx.ws.config, args.positionals[0]);
    // The lease must outlive the signal that ends the hold, so the lock is taken without it.
    const lease = await takeLock({ ...ctx, signal: new AbortController().signal }, database, 'manual');
    const data = { database, lockId: lease.lockId, holder: lease.holder };
    if (args.values.detach === true) {
      io.output.result(`Locked ${database} (lock ${lease.lockId}); the lease runs out at ${formatTime(lease.holder.expires)} unless you run "b2m unlock ${database}" first.`, data);
      return;
    }
    io.output.result(`Locked ${database} (lock ${lease.lockId}). Holding it; press Ctrl+C to release.`, data);
    // Heartbeat timers do not keep a process alive, so holding needs a timer of its own.
    const keepAlive = setInterval(() => undefined, 60_000);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
      lease.signal.addEventListener('abort', () => resolve(), { once: true });
    }).finally(() => clearInterval(keepAlive));
    const lost = lease.signal.aborted;
    await lease.release();
    io.output.info(lost ? `The lock on ${database} was lost (${String(lease.signal.reason)}).` : `Released the lock on ${database}.`);
  },
};

export const unlockCommand: Command = {
  name: 'unlock',
  summary: 'release a lock you hold (taken by you on this machine)',
  usage: 'b2m unlock [DB] [--json]',
  options: { ...JSON_OPTION },
  async run(args, io) {
    const ctx = await cliContext(io);
    const database = resolveDatabase(ctx.ws.config, args.positionals[0]);
    const released = await releaseOwnLock(ctx, database);
    io.output.result(released ? `Released lock ${released.lockId} on ${database}.` : `${database} is not locked.`, { database, released: released ?? null });
  },
};

export const forceUnlockCommand: Command = {
  name: 'force-unlock',
  summary: "remove one lock by its id, even someone else's (asks first unless --yes)",
  usage: 'b2m force-unlock [DB] LOCK_ID [--yes] [--json]',
  details: 'Removes exactly that lock and no other. Its holder, if still working, stops before uploading.',
  options: { ...JSON_OPTION, yes: { type: 'boolean', description: 'remove the lock without asking', default: 'ask on a terminal; refuse without one' } },
  async run(args, io) {
    const ctx = await cliContext(io);
    const { database, argument: lockId } = databaseAndArgument(ctx.ws.config, args, 'the lock id (see "b2m status")', forceUnlockCommand);
    const store = await ctx.store();
    const status = await readLockStatus(store, database, { prefix: ctx.ws.config.prefix, signal: io.signal });
    const target = [status.holder, ...status.stale].find((h) => h?.lockId === lockId);
    if (args.values.yes !== true) {
      const question = target ? `Remove the lock ${describeHolder(target)}?` : `Remove lock ${lockId} on ${database}?`;
      if (!(await io.confirm(question))) throw new BadInputError('Not confirmed; nothing was removed.', 'Pass --yes to confirm without a terminal.');
    }
    const removed = await forceUnlock(store, database, lockId, { prefix: ctx.ws.config.prefix, signal: io.signal });
    io.output.result(`Removed lock ${lockId} on ${database}${removed ? ` (${removed.owner}@${removed.host}, ${removed.operation})` : ''}.`, { database, removed });
  },
};
