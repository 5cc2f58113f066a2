import * as vscode from 'vscode';
import { startLocalB2Server, type LocalB2Server } from '../b2-server/index';
import type { Logger } from './logger';

/**
 * The bundled B2-compatible server, run inside the extension host for a demo workspace (no
 * Backblaze account needed). Its data persists in the extension's global storage.
 */
export class LocalServerHost implements vscode.Disposable {
  private server?: LocalB2Server;

  constructor(
    private readonly storage: vscode.Uri,
    private readonly log: Logger,
  ) {}

  async start(port: number, bucket: string): Promise<LocalB2Server> {
    if (this.server) return this.server;
    const dataDir = vscode.Uri.joinPath(this.storage, 'local-b2').fsPath;
    this.server = await startLocalB2Server({ port, dataDir, buckets: [bucket] });
    this.log.info(`local B2 server listening at ${this.server.url} (data in ${dataDir})`);
    return this.server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      await server.close();
      this.log.info('local B2 server stopped');
    }
  }

  dispose(): void {
    void this.stop();
  }
}
