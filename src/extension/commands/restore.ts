import { planRestore, restoreVersion, type RestoreOutcome, type RestorePlan } from '../../core/sync/restore';
import { versionLabel } from '../../core/versions/numbering';
import type { Notice } from '../notices/notice';
import { databaseArgument, versionArgument } from './arguments';
import type { CommandHandlers, CommandServices, ConfirmOptions } from './command-services';

const RESTORE = 'Restore';

/**
 * b2m.restoreVersion: makes an older version the new head (a new upload; history is kept), after
 * a modal confirmation that says what it undoes and whether the version was overtaken.
 */
export function restoreCommands(s: CommandServices): CommandHandlers {
  return {
    'b2m.restoreVersion': async (arg?: unknown, options?: ConfirmOptions) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      const node = await versionArgument(s, database, arg, `b2m: Restore which version of ${database}?`, (_v, index) => index === 0);
      if (!node) return undefined;
      const restored = versionLabel(node.number);
      if (node.isHead) {
        s.notifier.show({ severity: 'info', message: `b2m: ${restored} already is the head of ${database}.`, actions: [] });
        return undefined;
      }
      const plan = await s.runner.run({ title: `Reading what restoring ${restored} of ${database} undoes`, database }, (ctx) => planRestore(ctx, database, node.version.id));
      if (!plan.ok) return undefined;
      if ((await s.notifier.ask(restoreQuestion(plan.value), options?.yes ? RESTORE : undefined)) !== RESTORE) return undefined;
      const result = await s.runner.run({ title: `Restoring ${restored} of ${database}`, database, activity: 'Restoring', cancellable: true }, (ctx) =>
        restoreVersion(ctx, database, node.version.id),
      );
      if (!result.ok) return undefined;
      s.notifier.show(restoredNotice(database, result.value));
      return result.value;
    },
  };
}

/** What a restore did: the new head, the migrations it undid, and where your previous local file is kept. */
export function restoredNotice(database: string, outcome: Pick<RestoreOutcome, 'published' | 'restored' | 'undoneMigrations' | 'backup'>): Notice {
  const undone = outcome.undoneMigrations.length ? ` Undone: ${outcome.undoneMigrations.join(', ')}.` : '';
  const backup = outcome.backup ? ` Your previous local file is kept at ${outcome.backup}.` : '';
  return {
    severity: 'info',
    message: `b2m: ${database} head is now ${versionLabel(outcome.published.number)} (restores ${versionLabel(outcome.restored.number)}).${undone}${backup}`,
    actions: [],
  };
}

/** The confirmation of a restore: what it undoes, and whether the version was overtaken. */
export function restoreQuestion(plan: RestorePlan): Notice {
  const restored = versionLabel(plan.restored.number);
  const head = versionLabel(plan.head.number);
  const undone = plan.undoneMigrations.map((m) => m.replace(/^\d+_/, ''));
  const fork = plan.overtaken;
  const lines = [
    `It is uploaded as a new version on top of the head ${head}, so ${head} stays in history and can be restored the same way. Everyone's next sync builds on it.`,
    undone.length > 0
      ? `It undoes ${undone.length} migration${undone.length === 1 ? '' : 's'} that ${head} has and ${restored} lacks: ${undone.join(', ')}. They are pending again: the next sync runs them again unless their scripts are removed.`
      : `It undoes no migration: ${restored} has every migration of ${head}.`,
    ...(fork
      ? [
          `${restored} was overtaken${fork.overtakenBy ? ` by ${fork.overtakenBy.author ?? 'someone'}'s ${versionLabel(fork.overtakenBy.number)}` : ''}${fork.forkPoint ? ` (both built on ${versionLabel(fork.forkPoint.number)})` : ''}: it is not in the head's history, so restoring it also drops what that line added.`,
        ]
      : []),
  ];
  return {
    severity: 'warning',
    modal: true,
    message: `Make ${restored} of ${plan.database} the new head?${fork ? ` (${restored} was overtaken.)` : ''}`,
    detail: lines.join('\n\n'),
    actions: [{ label: RESTORE }],
  };
}
