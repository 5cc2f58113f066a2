import * as vscode from 'vscode';
import { describeHolder, forceUnlock, readLockStatus } from '../../core/lock';
import { releaseOwnLock } from '../../core/sync/release-lock';
import { takeLock } from '../../core/sync/take-lock';
import { timeWithZone } from '../time-format';
import { databaseArgument } from './arguments';
import type { CommandHandlers, CommandServices, ConfirmOptions } from './command-services';

/** b2m.lock, b2m.unlock, b2m.forceUnlock. */
export function lockCommands(s: CommandServices): CommandHandlers {
  return {
    'b2m.lock': async (arg?: unknown) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      const result = await s.runner.run({ title: `Locking ${database}`, database, activity: 'Locking', cancellable: true }, async (ctx) => {
        // The lease outlives this operation, so it is not tied to the operation's cancellation.
        const { signal: _operationSignal, ...held } = ctx;
        return takeLock(held, database, 'manual');
      });
      if (!result.ok) return undefined;
      s.manualLocks.hold(result.value);
      void vscode.window.showInformationMessage(`b2m: you hold the lock on ${database}; it is renewed until you unlock it or close this window.`);
      return result.value.holder;
    },

    'b2m.unlock': async (arg?: unknown) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      const result = await s.runner.run({ title: `Unlocking ${database}`, database, activity: 'Unlocking' }, async (ctx) => {
        if (await s.manualLocks.release(database)) return true;
        return (await releaseOwnLock(ctx, database)) !== undefined;
      });
      if (!result.ok) return undefined;
      void vscode.window.showInformationMessage(result.value ? `b2m: released the lock on ${database}.` : `b2m: ${database} is not locked.`);
      return result.value;
    },

    'b2m.forceUnlock': async (arg?: unknown, options?: ConfirmOptions) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      const read = await s.runner.run({ title: `Reading the lock of ${database}` }, async (ctx) =>
        readLockStatus(await ctx.store(), database, { prefix: ctx.ws.config.prefix, ...(ctx.signal ? { signal: ctx.signal } : {}) }),
      );
      if (!read.ok) return undefined;
      const holders = [...(read.value.holder ? [read.value.holder] : []), ...read.value.stale];
      if (holders.length === 0) {
        void vscode.window.showInformationMessage(`b2m: ${database} is not locked.`);
        return false;
      }
      const target =
        holders.length === 1
          ? holders[0]
          : (
              await vscode.window.showQuickPick(
                holders.map((holder) => ({ label: `${holder.owner}@${holder.host}`, description: `${holder.operation}, lease until ${timeWithZone(holder.expires)}`, holder })),
                { title: `b2m: Which lock of ${database} to remove?` },
              )
            )?.holder;
      if (!target) return false;
      const confirmed = options?.yes ? 'Force Unlock' : await vscode.window.showWarningMessage(
        `Remove ${target.owner}'s lock on ${database}?`,
        {
          modal: true,
          detail: `${describeHolder(target)}.\n\nIf ${target.owner} is still working, their upload stops before it reaches the bucket. Do this only for an abandoned lock.`,
        },
        'Force Unlock',
      );
      if (confirmed !== 'Force Unlock') return false;
      const removed = await s.runner.run({ title: `Removing the lock on ${database}`, database, activity: 'Unlocking' }, async (ctx) =>
        forceUnlock(await ctx.store(), database, target.lockId, { prefix: ctx.ws.config.prefix, ...(ctx.signal ? { signal: ctx.signal } : {}) }),
      );
      if (!removed.ok) return false;
      s.log.warn(`force-unlocked ${database}: ${describeHolder(target)}`);
      void vscode.window.showInformationMessage(`b2m: removed ${target.owner}'s lock on ${database}.`);
      return true;
    },
  };
}
