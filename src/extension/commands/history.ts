import * as vscode from 'vscode';
import { versionLabel } from '../../core/versions/numbering';
import type { VersionNode } from '../views/tree-nodes';
import { databaseArgument, versionArgument } from './arguments';
import type { CommandHandlers, CommandServices } from './command-services';

/** b2m.showHistory: the remote versions of a database in a quick pick, each with what can be done with it. */
export function historyCommands(s: CommandServices): CommandHandlers {
  return {
    'b2m.showHistory': async (arg?: unknown) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      s.revealVersions(database);
      const node = await versionArgument(s, database, undefined, `b2m: History of ${database} (newest first)`);
      if (!node) return undefined;
      const actions: { label: string; command: string; when: (n: VersionNode) => boolean }[] = [
        { label: '$(diff) Diff with Local File', command: 'b2m.diffWithLocal', when: () => true },
        { label: '$(diff) Diff with Another Version…', command: 'b2m.diffWithSelectedVersion', when: () => true },
        { label: '$(cloud-download) Download This Version', command: 'b2m.download', when: () => true },
        { label: '$(history) Restore as the New Head…', command: 'b2m.restoreVersion', when: (n) => !n.isHead },
      ];
      const picked = await vscode.window.showQuickPick(
        actions.filter((a) => a.when(node)),
        { title: `b2m: ${database} ${versionLabel(node.number)}` },
      );
      return picked ? vscode.commands.executeCommand(picked.command, node) : undefined;
    },
  };
}
