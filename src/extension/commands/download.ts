import * as vscode from 'vscode';
import { ConflictError } from '../../core/errors';
import { downloadDatabase, type DownloadOutcome } from '../../core/sync/download';
import { versionLabel } from '../../core/versions/numbering';
import { isB2mNode } from '../views/tree-nodes';
import { databaseArgument } from './arguments';
import type { CommandHandlers, CommandServices } from './command-services';

const REPLACE = 'Replace (Keep a Backup)';

/** b2m.download: makes the local copy the head, or the version the command was run on. */
export function downloadCommands(s: CommandServices): CommandHandlers {
  return {
    'b2m.download': async (arg?: unknown) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      const version = isB2mNode(arg) && arg.kind === 'version' ? arg : undefined;
      const what = version ? `${versionLabel(version.number)} of ${database}` : database;
      const download = (force: boolean): Promise<{ ok: true; value: DownloadOutcome } | { ok: false; error: unknown }> =>
        s.runner.run({ title: `Downloading ${what}`, database, activity: 'Downloading', cancellable: true, expect: force ? [] : ['conflict'] }, (ctx) =>
          downloadDatabase(ctx, database, { force, ...(version ? { versionId: version.version.id } : {}) }),
        );
      let result = await download(false);
      if (!result.ok && result.error instanceof ConflictError) {
        const choice = await vscode.window.showWarningMessage(
          `${database} has local edits that no migration explains.`,
          { modal: true, detail: 'Capture them as a migration first to keep them, or replace the file: b2m keeps a backup in .b2m/backups.' },
          REPLACE,
          'Capture Local Edits',
        );
        if (choice === 'Capture Local Edits') return vscode.commands.executeCommand('b2m.captureLocalEdits', database);
        if (choice !== REPLACE) return undefined;
        result = await download(true);
      }
      if (!result.ok) return undefined;
      const outcome = result.value;
      const backup = outcome.backup ? ` The previous file is kept at ${outcome.backup}.` : '';
      const name = await s.model.versionName(database, outcome.version.id);
      void vscode.window.showInformationMessage(outcome.replaced ? `b2m: ${database} is now ${name}.${backup}` : `b2m: ${database} already was ${name}.`);
      return outcome;
    },
  };
}
