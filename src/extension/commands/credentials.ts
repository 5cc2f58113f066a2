import * as vscode from 'vscode';
import type { CommandHandlers, CommandServices } from './command-services';

interface CredentialsArgs {
  keyId: string;
  key: string;
}

/** b2m.setCredentials: stores the bucket's application key in SecretStorage (never in settings). */
export function credentialsCommands(s: CommandServices): CommandHandlers {
  return {
    'b2m.setCredentials': async (args?: CredentialsArgs) => {
      const ws = s.session.workspace;
      if (!ws) {
        void vscode.window.showWarningMessage('b2m: create b2m.json first; the key is stored for its bucket.');
        return false;
      }
      if (process.env.B2_APPLICATION_KEY_ID && process.env.B2_APPLICATION_KEY) {
        void vscode.window.showInformationMessage('b2m: B2_APPLICATION_KEY_ID and B2_APPLICATION_KEY are set in the environment; they take precedence over the stored key.');
      }
      const keyId =
        args?.keyId ??
        (await vscode.window.showInputBox({
          title: `b2m: Application Key for bucket ${ws.config.bucket} (1/2)`,
          prompt: 'keyID of a Backblaze B2 application key with access to the bucket',
          ignoreFocusOut: true,
          validateInput: (text) => (text.trim() ? undefined : 'Enter the keyID.'),
        }));
      if (!keyId) return false;
      const key =
        args?.key ??
        (await vscode.window.showInputBox({
          title: `b2m: Application Key for bucket ${ws.config.bucket} (2/2)`,
          prompt: 'applicationKey (stored in VS Code\'s secret storage)',
          password: true,
          ignoreFocusOut: true,
          validateInput: (text) => (text.trim() ? undefined : 'Enter the application key.'),
        }));
      if (!key) return false;
      await s.credentials.store(ws, keyId, key);
      s.log.info(`stored an application key for bucket ${ws.config.bucket} in secret storage`);
      await s.session.reload();
      return true;
    },
  };
}
