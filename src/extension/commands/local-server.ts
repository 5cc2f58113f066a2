import * as vscode from 'vscode';
import { DEFAULT_BUCKET } from '../../b2-server/index';
import type { CommandHandlers, CommandServices } from './command-services';

const LOCAL_ENDPOINT = /^http:\/\/(127\.0\.0\.1|localhost):(\d+)\/?$/;

/**
 * b2m.startLocalServer: runs the bundled B2-compatible server for a demo workspace. A b2m.json
 * whose endpoint is http://127.0.0.1:PORT gets its server on that port; a folder without b2m.json
 * gets one pointing at a new server. The local key is stored like any other.
 */
export function localServerCommands(s: CommandServices): CommandHandlers {
  return {
    'b2m.startLocalServer': async () => {
      const ws = s.session.workspace;
      if (s.session.state.kind === 'invalid-config') {
        void vscode.window.showErrorMessage('b2m: fix b2m.json first.');
        return undefined;
      }
      try {
        if (!ws) {
          if (!vscode.workspace.workspaceFolders?.length) {
            void vscode.window.showWarningMessage('b2m: open an (empty) folder for the demo workspace first.');
            return undefined;
          }
          const server = await s.localServer.start(0, DEFAULT_BUCKET);
          await vscode.commands.executeCommand('b2m.initWorkspace', { bucket: DEFAULT_BUCKET, databases: ['app.db'], endpoint: server.url });
          const created = s.session.workspace;
          if (created) await s.credentials.store(created, server.keyId, server.key);
          await s.session.reload();
          void vscode.window.showInformationMessage(
            `b2m: local B2 server running at ${server.url}. Put a SQLite file named app.db in the folder and run "b2m: Sync" to publish its first version.`,
          );
          return server.url;
        }
        const port = LOCAL_ENDPOINT.exec(ws.config.endpoint ?? '')?.[2];
        if (!port) {
          void vscode.window.showWarningMessage(
            `b2m: this workspace uses ${ws.config.endpoint ?? 'Backblaze B2'} (bucket ${ws.config.bucket}). The local server is for demo workspaces whose b2m.json "endpoint" is http://127.0.0.1:PORT.`,
          );
          return undefined;
        }
        const server = await s.localServer.start(Number(port), ws.config.bucket);
        await s.credentials.store(ws, server.keyId, server.key);
        await s.session.reload();
        void vscode.window.showInformationMessage(`b2m: local B2 server running at ${server.url} for bucket ${ws.config.bucket}.`);
        return server.url;
      } catch (error) {
        s.runner.report('Starting the local B2 server', error);
        return undefined;
      }
    },
  };
}
