import * as vscode from 'vscode';
import type { LocalB2Server } from '../b2-server/index';
import type { Logger } from './logger';

/**
 * The bundled B2-compatible server, run inside the extension host for a demo workspace (no
 * Backblaze account needed). Its data persists in the extension's global storage.
 */
export class LocalServerHost implements vscode.Disposable {
  private server?: Promise<LocalB2Server>;

  constructor(
    private readonly storage: vscode.Uri,
    private readonly log: Logger,
  ) {}

  /** Starts the server (once; later calls get the same one). */
  start(port: number, bucket: string): Promise<LocalB2Server> {
    this.server ??= this.launch(port, bucket).catch((error: unknown) => {
      this.server = undefined;
      throw error;
    });
    return this.server;
  }

  async stop(): Promise<void> {
    const server = await this.server?.catch(() => undefined);
    this.server = undefined;
    if (server) {
      await server.close();
      this.log.info('local B2 server stopped');
    }
  }

  private async launch(port: number, bucket: string): Promise<LocalB2Server> {
    const dataDir = vscode.Uri.joinPath(this.storage, 'local-b2').fsPath;
    // The server's code is loaded only for a demo workspace that asks for it.
    const { startLocalB2Server } = await import('../b2-server/index');
    const server = await startLocalB2Server({ port, dataDir, buckets: [bucket] });
    this.log.info(`local B2 server listening at ${server.url} (data in ${dataDir})`);
    return server;
  }

  dispose(): void {
    void this.stop();
  }
}
