import * as vscode from 'vscode';
import { restoreVersion } from '../../core/sync/restore';
import { versionLabel } from '../../core/versions/numbering';
import { databaseArgument, versionArgument } from './arguments';
import type { CommandHandlers, CommandServices, ConfirmOptions } from './command-services';

/** b2m.restoreVersion: makes an older version the new head (a new upload; history is kept), after a modal confirmation. */
export function restoreCommands(s: CommandServices): CommandHandlers {
  return {
    'b2m.restoreVersion': async (arg?: unknown, options?: ConfirmOptions) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      const node = await versionArgument(s, database, arg, `b2m: Restore which version of ${database}?`, (_v, index) => index === 0);
      if (!node) return undefined;
      const restored = versionLabel(node.number);
      if (node.isHead) {
        void vscode.window.showInformationMessage(`b2m: ${restored} already is the head of ${database}.`);
        return undefined;
      }
      const confirmed =
        options?.yes ||
        (await vscode.window.showWarningMessage(
          `Make ${restored} of ${database} the new head?`,
          {
            modal: true,
            detail: `Everyone's next sync builds on it. It is uploaded as a new version, so the current head stays in history and can be restored the same way. Migrations applied after ${restored} run again on the next sync unless their scripts are removed.`,
          },
          'Restore',
        )) === 'Restore';
      if (!confirmed) return undefined;
      const result = await s.runner.run({ title: `Restoring ${restored} of ${database}`, database, activity: 'Restoring', cancellable: true }, (ctx) =>
        restoreVersion(ctx, database, node.version.id),
      );
      if (!result.ok) return undefined;
      const undone = result.value.undoneMigrations;
      void vscode.window.showInformationMessage(
        `b2m: ${database} head is now ${versionLabel(result.value.published.number)} (restores ${restored}).${undone.length ? ` Undone: ${undone.join(', ')}.` : ''}`,
      );
      return result.value;
    },
  };
}
