import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { Logger } from '../logger';
import { onDidChangeSettings, readSettings } from '../settings';
import { nextPollDelay } from './poll-schedule';
import type { StatusModel } from './status-model';

/**
 * Re-reads the statuses every `b2m.pollIntervalSeconds`, backing off while reads fail, and not at
 * all while the window is unfocused (a refresh runs on return when one is due).
 */
export class StatusPoller extends Disposable {
  private timer?: NodeJS.Timeout;
  private failures = 0;
  private dueWhileUnfocused = false;

  constructor(
    private readonly model: StatusModel,
    private readonly log: Logger,
  ) {
    super();
    this.register(
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused && this.dueWhileUnfocused) void this.poll();
      }),
    );
    this.register(onDidChangeSettings(() => this.schedule()));
    this.register({ dispose: () => clearTimeout(this.timer) });
    this.schedule();
  }

  /** Reads now and restarts the interval. */
  async poll(): Promise<void> {
    clearTimeout(this.timer);
    this.dueWhileUnfocused = false;
    const ok = await this.model.refresh();
    if (ok !== (this.failures === 0)) this.log.info(ok ? 'status reads work again' : 'status read failed; backing off');
    this.failures = ok ? 0 : this.failures + 1;
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.isDisposed) return;
    const delay = nextPollDelay(readSettings().pollIntervalMs, this.failures);
    this.timer = setTimeout(() => {
      if (vscode.window.state.focused) void this.poll();
      else this.dueWhileUnfocused = true;
    }, delay);
  }
}
