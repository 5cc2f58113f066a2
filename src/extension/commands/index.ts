import * as vscode from 'vscode';
import { askForTrust } from '../trust';
import type { CommandHandlers, CommandServices } from './command-services';

/** "Get started with b2m" (package.json: contributes.walkthroughs), as `<publisher>.<name>#<id>`. */
const WALKTHROUGH_ID = 'b2m.b2m#getStarted';

/** Whether a command may run in an untrusted workspace (Restricted Mode). */
type Trust = 'needs-trust' | 'safe';

interface CommandModule {
  /** Its commands: those that run workspace code (Python, the check script, the local server) or contact the bucket need trust. */
  commands: Record<string, Trust>;
  load(): Promise<(s: CommandServices) => CommandHandlers>;
}

/**
 * Every b2m command (package.json gives ids and titles) and the module implementing it. Modules
 * are loaded when one of their commands first runs, so activation loads none of them (nor the
 * diff engine, sql.js or the webview host that some of them use).
 */
const COMMAND_MODULES: CommandModule[] = [
  { commands: { 'b2m.setCredentials': 'safe' }, load: async () => (await import('./credentials')).credentialsCommands },
  { commands: { 'b2m.initWorkspace': 'safe' }, load: async () => (await import('./init-workspace')).initWorkspaceCommands },
  { commands: { 'b2m.download': 'needs-trust' }, load: async () => (await import('./download')).downloadCommands },
  { commands: { 'b2m.createMigration': 'safe' }, load: async () => (await import('./new-migration')).newMigrationCommands },
  { commands: { 'b2m.testMigrations': 'needs-trust', 'b2m.captureLocalEdits': 'needs-trust' }, load: async () => (await import('./migrations')).migrationCommands },
  { commands: { 'b2m.sync': 'needs-trust' }, load: async () => (await import('./sync')).syncCommands },
  { commands: { 'b2m.lock': 'needs-trust', 'b2m.unlock': 'needs-trust', 'b2m.forceUnlock': 'needs-trust' }, load: async () => (await import('./locks')).lockCommands },
  { commands: { 'b2m.showHistory': 'needs-trust' }, load: async () => (await import('./history')).historyCommands },
  {
    commands: { 'b2m.diff': 'needs-trust', 'b2m.diffWithLocal': 'needs-trust', 'b2m.selectVersionForDiff': 'needs-trust', 'b2m.diffWithSelectedVersion': 'needs-trust' },
    load: async () => (await import('./diff')).diffCommands,
  },
  { commands: { 'b2m.restoreVersion': 'needs-trust' }, load: async () => (await import('./restore')).restoreCommands },
  { commands: { 'b2m.startLocalServer': 'needs-trust' }, load: async () => (await import('./local-server')).localServerCommands },
];

/** Registers every b2m command; a command that needs trust asks for it in an untrusted workspace. */
export function registerCommands(s: CommandServices): vscode.Disposable[] {
  const registered = [
    vscode.commands.registerCommand('b2m.refresh', () => s.refreshNow()),
    vscode.commands.registerCommand('b2m.showLog', () => s.log.show()),
    vscode.commands.registerCommand('b2m.openWalkthrough', () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false)),
  ];
  for (const module of COMMAND_MODULES) {
    let handlers: Promise<CommandHandlers> | undefined;
    for (const [id, trust] of Object.entries(module.commands)) {
      const run = async (...args: unknown[]): Promise<unknown> => {
        if (trust === 'needs-trust' && !vscode.workspace.isTrusted) return askForTrust();
        handlers ??= module.load().then(
          (create) => create(s),
          (error: unknown) => {
            handlers = undefined;
            throw error;
          },
        );
        const handler = (await handlers)[id];
        if (!handler) throw new Error(`b2m: the module of ${id} does not implement it`);
        return (handler as (...args: unknown[]) => unknown)(...args);
      };
      registered.push(vscode.commands.registerCommand(id, run));
    }
  }
  return registered;
}
