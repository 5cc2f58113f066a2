import * as vscode from 'vscode';

/**
 * The extension's one output channel ("b2m", a LogOutputChannel: the user picks the level).
 * Nothing that could be a secret is ever passed here: credentials stay in SecretStorage.
 * Once disposed (the window is closing) messages are dropped: work still finishing then, such
 * as releasing locks, must not fail because the channel is gone.
 */
export class Logger implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('b2m', { log: true });
  private disposed = false;

  trace(message: string): void {
    if (!this.disposed) this.channel.trace(message);
  }

  info(message: string): void {
    if (!this.disposed) this.channel.info(message);
  }

  warn(message: string): void {
    if (!this.disposed) this.channel.warn(message);
  }

  error(message: string, error?: unknown): void {
    if (this.disposed) return;
    if (error === undefined) this.channel.error(message);
    else this.channel.error(`${message}: ${describeError(error)}`);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.disposed = true;
    this.channel.dispose();
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}
