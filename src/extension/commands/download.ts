import * as vscode from 'vscode';
import { ConflictError } from '../../core/errors';
import { describeTransfer } from '../../core/format';
import { downloadDatabase, type DownloadOutcome } from '../../core/sync/download';
import { versionLabel } from '../../core/versions/numbering';
import { isB2mNode } from '../views/tree-nodes';
import { databaseArgument } from './arguments';
import type { CommandHandlers, CommandServices, ConfirmOptions } from './command-services';

const REPLACE = 'Replace (Keep a Backup)';
const CAPTURE = 'Capture Local Edits';

/**
 * b2m.download: makes the local copy the head, or the version the command was run on. Over edits
 * no migration explains it asks first (`yes`: replace them, keeping a backup).
 */
export function downloadCommands(s: CommandServices): CommandHandlers {
  return {
    'b2m.download': async (arg?: unknown, options?: ConfirmOptions) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      const version = isB2mNode(arg) && arg.kind === 'version' ? arg : undefined;
      const what = version ? `${versionLabel(version.number)} of ${database}` : database;
      const download = (force: boolean): Promise<{ ok: true; value: DownloadOutcome } | { ok: false; error: unknown }> =>
        s.runner.run({ title: `Downloading ${what}`, database, activity: 'Downloading', cancellable: true, handles: (error) => !force && isUncaptured(error) }, (ctx) =>
          downloadDatabase(ctx, database, { force, ...(version ? { versionId: version.version.id } : {}) }),
        );
      let result = await download(false);
      if (!result.ok && isUncaptured(result.error)) {
        const choice = await s.notifier.ask(
          {
            severity: 'warning',
            message: `${database} has local edits that no migration explains.`,
            detail: 'Capture them as a migration first to keep them, or replace the file: b2m keeps a backup in .b2m/backups.',
            actions: [{ label: REPLACE }, { label: CAPTURE }],
          },
          options?.yes ? REPLACE : undefined,
        );
        if (choice === CAPTURE) return vscode.commands.executeCommand('b2m.captureLocalEdits', database);
        if (choice !== REPLACE) return undefined;
        result = await download(true);
      }
      if (!result.ok) return undefined;
      const outcome = result.value;
      const name = versionLabel(outcome.version.number);
      const moved = outcome.transfer.how === 'cached' || outcome.transfer.how === 'local' ? 'already here' : `fetched ${describeTransfer(outcome.transfer.downloadedBytes, outcome.transfer.size)}`;
      const backup = outcome.backup ? ` The previous file is kept at ${outcome.backup}.` : '';
      s.notifier.show({
        severity: 'info',
        message: outcome.replaced ? `b2m: ${database} is now ${name} (${moved}).${backup}` : `b2m: ${database} already was ${name}.`,
        actions: [],
      });
      return outcome;
    },
  };
}

function isUncaptured(error: unknown): boolean {
  return error instanceof ConflictError && error.reason === 'uncaptured';
}
