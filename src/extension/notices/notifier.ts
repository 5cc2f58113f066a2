import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { Logger } from '../logger';
import type { Notice } from './notice';

/**
 * Shows notices as VS Code notifications or modal dialogs and runs the command of the button
 * clicked. Every notice is logged and announced on `onDidShow`, which is how the integration tests
 * see what a person would read (notifications cannot be read back from VS Code).
 */
export class Notifier extends Disposable {
  private readonly shownEmitter = this.register(new vscode.EventEmitter<Notice>());
  readonly onDidShow = this.shownEmitter.event;

  constructor(private readonly log: Logger) {
    super();
  }

  /** Shows a notification; a click on one of its buttons runs that button's command. */
  show(notice: Notice): void {
    void this.display(notice).then(async (label) => {
      const action = notice.actions.find((a) => a.label === label);
      if (!action?.command) return;
      try {
        await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
      } catch (error) {
        this.log.error(`the "${action.label}" button of "${notice.message}" failed`, error);
      }
    });
  }

  /**
   * Asks a question in a modal dialog and returns the label of the answer, or undefined when it
   * was dismissed. `answer` (automation, like the CLI's --yes) answers it without showing it.
   */
  async ask(question: Notice, answer?: string): Promise<string | undefined> {
    if (answer !== undefined) {
      this.announce(question, answer);
      return answer;
    }
    return this.display({ ...question, modal: true });
  }

  private display(notice: Notice): Thenable<string | undefined> {
    this.announce(notice);
    const show =
      notice.severity === 'error' ? vscode.window.showErrorMessage : notice.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const labels = notice.actions.map((a) => a.label);
    return notice.modal ? show(notice.message, { modal: true, ...(notice.detail ? { detail: notice.detail } : {}) }, ...labels) : show(notice.message, ...labels);
  }

  private announce(notice: Notice, answeredWith?: string): void {
    const buttons = notice.actions.length > 0 ? ` [${notice.actions.map((a) => a.label).join(' | ')}]` : '';
    this.log.info(`${notice.modal ? 'asked' : notice.severity}: ${notice.message}${buttons}${answeredWith ? ` (answered "${answeredWith}" without asking)` : ''}`);
    this.shownEmitter.fire(notice);
  }
}
