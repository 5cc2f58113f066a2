import * as vscode from 'vscode';
import type { CommandServices } from './command-services';
import { registerCredentialsCommands } from './credentials';
import { registerDiffCommands } from './diff';
import { registerDownloadCommand } from './download';
import { registerHistoryCommand } from './history';
import { registerInitWorkspaceCommand } from './init-workspace';
import { registerLocalServerCommands } from './local-server';
import { registerLockCommands } from './locks';
import { registerMigrationCommands } from './migrations';
import { registerRestoreCommand } from './restore';
import { registerSyncCommand } from './sync';

/** Registers every b2m command (ids and titles are in package.json). */
export function registerCommands(s: CommandServices, revealVersions: (database: string) => void): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('b2m.refresh', () => s.refreshNow()),
    vscode.commands.registerCommand('b2m.showLog', () => s.log.show()),
    ...registerCredentialsCommands(s),
    ...registerInitWorkspaceCommand(s),
    ...registerDownloadCommand(s),
    ...registerMigrationCommands(s),
    ...registerSyncCommand(s),
    ...registerLockCommands(s),
    ...registerHistoryCommand(s, revealVersions),
    ...registerDiffCommands(s),
    ...registerRestoreCommand(s),
    ...registerLocalServerCommands(s),
  ];
}
