import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { StatusModel } from '../status/status-model';
import type { MigrationNode } from '../views/tree-nodes';
import type { WorkspaceSession } from '../workspace-session';
import { migrationScriptOf } from './migration-script';

/**
 * Above a pending migration script: "Test" (runs it on a copy of your base and says what it
 * changed), "Diff Result" (the same, in the diff view) and "Sync". Above a script already applied:
 * that edits there never run, with a way to a new migration.
 */
export class MigrationCodeLenses extends Disposable implements vscode.CodeLensProvider {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changeEmitter.event;

  constructor(
    private readonly session: WorkspaceSession,
    private readonly model: StatusModel,
  ) {
    super();
    this.register(model.onDidChange(() => this.changeEmitter.fire()));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (this.session.state.kind !== 'ready') return [];
    const database = migrationScriptOf(this.session.workspace, document);
    const status = database ? this.model.entry(database).status : undefined;
    if (!database || !status) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lens = (title: string, tooltip: string, command: string, ...args: unknown[]): vscode.CodeLens => new vscode.CodeLens(top, { title, tooltip, command, arguments: args });
    const path = document.uri.fsPath;
    // A script new since the last status read is neither pending nor applied yet: the next read (soon, the file watcher asks for it) tells.
    if (!this.model.scriptsOf(database).some((m) => m.path === path)) return [];
    const pending = status.pending.find((m) => m.path === path);
    if (pending) {
      const node: MigrationNode = { kind: 'migration', database, id: pending.id, fileName: pending.fileName, path, state: 'new' };
      return [
        lens('$(beaker) Test', 'Run this migration on a copy of your base and say what it changes', 'b2m.testMigrations', node, { showDiff: false }),
        lens('$(diff) Diff Result', 'Run this migration on a copy of your base and show the diff', 'b2m.testMigrations', node),
        lens('$(cloud-upload) Sync', `Apply the pending migrations of ${database} to the newest version and publish it`, 'b2m.sync', database),
      ];
    }
    const issue = status.scriptIssues.find((i) => i.fileName === document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1));
    const state = issue ? `$(warning) ${issue.kind === 'renamed' ? 'Renamed' : 'Edited'} after it was applied` : '$(check) Applied: edits here never run';
    // A lens without a command is plain text; its tooltip says what to do.
    return [
      lens(state, issue ? `${issue.message} ${issue.hint}` : 'b2m knows scripts by their id and never runs one twice: put further changes in a new migration.', ''),
      lens('$(new-file) New Migration', `Create a new migration of ${database}`, 'b2m.createMigration', { database }),
    ];
  }
}
