// Hosts the diff webview in an editor tab: builds its page, waits for the webview's 'ready',
// sends the diff (in chunks when large) or the conflicts of a sync, and turns the webview's
// buttons into actions.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { DiffResult } from '../../core/diff/types';
import { isWebviewMessage, type ConflictReport, type HostMessage, type WebviewMessage } from '../../../webview-ui/src/protocol';
import { buildDiffHtml } from './diff-html';
import { diffMessages } from './diff-messages';

export interface DiffPanelOptions {
  extensionUri: vscode.Uri;
  /** Tab title until a diff is shown (then "Diff: A ↔ B"). */
  title?: string;
  viewColumn?: vscode.ViewColumn;
  /** Called when the user presses "Save as migration" with the diff on screen. */
  onSaveAsMigration?(diff: DiffResult): Promise<void> | void;
  /** What the buttons of the conflicts view do. */
  conflictActions?: ConflictActions;
}

/** How a "Publish anyway" ended: published (the panel closes), declined at the destructive-changes question, or failed (a notification says why). */
export type PublishAnywayResult = 'published' | 'declined' | 'failed';

/** Why nothing was published, as the conflicts view says it. */
const NOT_PUBLISHED: Record<Exclude<PublishAnywayResult, 'published'>, string> = {
  declined: 'Nothing was published: you chose not to publish changes that destroy data.',
  failed: 'Nothing was published: the notification says why.',
};

export interface ConflictActions {
  /** "Publish anyway": syncs again, publishing despite the conflicts. */
  publishAnyway(): Promise<PublishAnywayResult>;
  /** "Open my migration": opens the scripts the sync replays. */
  openMigration(): Promise<void>;
}

type Content = { kind: 'loading' } | { kind: 'diff'; diff: DiffResult } | { kind: 'conflicts'; report: ConflictReport } | { kind: 'error'; message: string };

export class DiffPanel implements vscode.Disposable {
  static readonly viewType = 'b2m.diff';

  /** Opens a panel in its loading state; call `showDiff` when the diff is ready. */
  static open(options: DiffPanelOptions): DiffPanel {
    const webviewRoot = vscode.Uri.joinPath(options.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(DiffPanel.viewType, options.title ?? 'Diff', options.viewColumn ?? vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [webviewRoot],
      retainContextWhenHidden: false,
    });
    return new DiffPanel(panel, webviewRoot, options);
  }

  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires once, when the user closes the panel or `dispose` is called. */
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private content: Content = { kind: 'loading' };
  private ready = false;
  /** Increases whenever what is being sent becomes stale, to stop an unfinished send. */
  private sendGeneration = 0;
  private disposed = false;
  /** A "Publish anyway" runs: another click waits for it, even in a view shown again meanwhile. */
  private publishing = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    webviewRoot: vscode.Uri,
    private readonly options: Pick<DiffPanelOptions, 'onSaveAsMigration' | 'conflictActions'>,
  ) {
    const webview = panel.webview;
    webview.html = buildDiffHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'diff.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'diff.css')).toString(),
    });
    this.subscriptions.push(
      webview.onDidReceiveMessage((message: unknown) => {
        if (isWebviewMessage(message)) void this.onMessage(message);
      }),
      // A hidden webview is destroyed; it says 'ready' again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  showDiff(diff: DiffResult): void {
    this.content = { kind: 'diff', diff };
    this.panel.title = `Diff: ${diff.a} ↔ ${diff.b}`;
    this.sendContent();
  }

  /** Shows the conflicts that stopped a sync, with the buttons of `conflictActions`. */
  showConflicts(report: ConflictReport): void {
    this.content = { kind: 'conflicts', report };
    this.panel.title = `Conflicts: ${report.database}`;
    this.sendContent();
  }

  showError(message: string): void {
    if (this.content.kind === 'loading' || this.content.kind === 'error') this.content = { kind: 'error', message };
    this.post([{ type: 'error', message }]);
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.sendGeneration++;
    this.panel.dispose();
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }

  private async onMessage(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendContent();
        return;
      case 'copySql':
        if (this.content.kind === 'diff') {
          await vscode.env.clipboard.writeText(this.content.diff.sql);
          vscode.window.setStatusBarMessage('b2m: diff SQL copied to the clipboard', 4000);
        }
        return;
      case 'saveAsMigration':
        if (this.content.kind === 'diff' && this.options.onSaveAsMigration) {
          const [save, diff] = [this.options.onSaveAsMigration, this.content.diff];
          await this.attempt('Save as migration', () => save(diff));
        }
        return;
      case 'publishAnyway':
        if (this.content.kind === 'conflicts' && this.options.conflictActions) await this.publishAnyway(this.options.conflictActions);
        return;
      case 'openMigration':
        if (this.content.kind === 'conflicts' && this.options.conflictActions) await this.attempt('Opening your migration', this.options.conflictActions.openMigration);
        return;
      case 'cancel':
        if (this.content.kind === 'conflicts') this.dispose();
        return;
    }
  }

  private async publishAnyway(actions: ConflictActions): Promise<void> {
    if (this.publishing) return;
    this.publishing = true;
    const result = await this.attempt('Publishing', actions.publishAnyway).finally(() => (this.publishing = false));
    if (result === 'published') this.dispose();
    else if (result) this.post([{ type: 'error', message: NOT_PUBLISHED[result] }]);
  }

  /** Runs a button's action; a failure is shown in the view. */
  private async attempt<T>(what: string, action: () => Promise<T> | T): Promise<T | undefined> {
    try {
      return await action();
    } catch (error) {
      this.post([{ type: 'error', message: `${what} failed: ${error instanceof Error ? error.message : String(error)}` }]);
      return undefined;
    }
  }

  private sendContent(): void {
    this.sendGeneration++;
    if (this.content.kind === 'diff') this.post(diffMessages(this.content.diff));
    else if (this.content.kind === 'conflicts') this.post([{ type: 'showConflicts', report: this.content.report, publishing: this.publishing }]);
    else if (this.content.kind === 'error') this.post([{ type: 'error', message: this.content.message }]);
  }

  /** Posts in order, one at a time, while the webview is ready and nothing newer was sent. */
  private post(messages: HostMessage[]): void {
    if (!this.ready || this.disposed) return;
    const generation = this.sendGeneration;
    void (async () => {
      for (const message of messages) {
        if (generation !== this.sendGeneration || !this.ready || this.disposed) return;
        await this.panel.webview.postMessage(message);
      }
    })();
  }
}
