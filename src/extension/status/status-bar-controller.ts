import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { WorkspaceSession } from '../workspace-session';
import { MANAGE_TRUST_COMMAND } from '../trust';
import { databaseOfFile } from './database-of-file';
import { actionsFor } from './status-actions';
import { statusLine, statusLook, statusTooltip } from './status-presentation';
import type { StatusModel } from './status-model';

export const SHOW_STATUS_ACTIONS_COMMAND = 'b2m.showStatusActions';

/**
 * One status bar item for the active database (the one whose script or file is in the active
 * editor, else the first): its sync and lock state, details on hover, and on click a quick pick
 * of what can be done now. In Restricted Mode it says so, and a click opens Workspace Trust.
 */
export class StatusBarController extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('b2m.status', vscode.StatusBarAlignment.Left, 50));
  private active?: string;

  constructor(
    private readonly session: WorkspaceSession,
    private readonly model: StatusModel,
  ) {
    super();
    this.item.name = 'b2m Database Status';
    this.register(model.onDidChange(() => this.update()));
    this.register(session.onDidChange(() => this.update()));
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.register(vscode.commands.registerCommand(SHOW_STATUS_ACTIONS_COMMAND, () => this.showActions()));
    this.update();
  }

  /** The database the item shows. */
  get database(): string | undefined {
    return this.active;
  }

  /** What the item shows now (for tests). */
  get view(): { text: string; tooltip: string; command: string | undefined; visible: boolean } {
    const tooltip = this.item.tooltip;
    return {
      text: this.item.text,
      tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
      command: typeof this.item.command === 'string' ? this.item.command : this.item.command?.command,
      visible: this.active !== undefined,
    };
  }

  private update(): void {
    const ws = this.session.workspace;
    const editorFile = vscode.window.activeTextEditor?.document.uri;
    const fromEditor = ws && editorFile?.scheme === 'file' ? databaseOfFile(ws, editorFile.fsPath) : undefined;
    this.active = fromEditor ?? this.model.databases[0];
    const kind = this.session.state.kind;
    if (!this.active || (kind !== 'ready' && kind !== 'restricted')) {
      this.active = undefined;
      this.item.hide();
      return;
    }
    const entry = this.model.entry(this.active);
    const look = statusLook(entry);
    this.item.text = `$(${look.icon}) ${entry.database}: ${look.summary}`;
    this.item.tooltip = statusTooltip(entry, this.model.refreshedAt);
    this.item.accessibilityInformation = { label: statusLine(entry), role: 'button' };
    this.item.backgroundColor =
      look.severity === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : look.severity === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.command = kind === 'restricted' ? { command: MANAGE_TRUST_COMMAND, title: 'Manage Workspace Trust' } : { command: SHOW_STATUS_ACTIONS_COMMAND, title: 'Show b2m actions' };
    this.item.show();
  }

  private async showActions(): Promise<void> {
    const database = this.active;
    if (!database) return;
    const entry = this.model.entry(database);
    const picked = await vscode.window.showQuickPick(
      actionsFor(entry).map((action) => ({ ...action, database })),
      { title: `b2m: ${database} — ${statusLook(entry).summary}`, placeHolder: 'What do you want to do?' },
    );
    if (picked) await vscode.commands.executeCommand(picked.command, database);
  }
}
