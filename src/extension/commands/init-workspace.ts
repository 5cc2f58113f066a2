import * as vscode from 'vscode';
import { initWorkspace } from '../../core/init';
import type { CommandHandlers, CommandServices } from './command-services';

export interface InitArgs {
  bucket: string;
  databases?: string[];
  endpoint?: string;
  prefix?: string;
  /** Folder to create b2m.json in; the first workspace folder by default. */
  folder?: string;
}

/** b2m.initWorkspace: writes b2m.json (asking the bucket and database), like "b2m init". */
export function initWorkspaceCommands(s: CommandServices): CommandHandlers {
  return {
    'b2m.initWorkspace': async (args?: InitArgs) => {
      const folder = args?.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      if (!folder) {
        void vscode.window.showWarningMessage('b2m: open the folder of your repository first; b2m.json goes into it.');
        return undefined;
      }
      const answers = args ?? (await askConfig());
      if (!answers) return undefined;
      try {
        const { file } = await initWorkspace(
          folder,
          {
            bucket: answers.bucket,
            ...(answers.prefix !== undefined ? { prefix: answers.prefix } : {}),
            ...(answers.databases ? { databases: answers.databases } : {}),
            ...(answers.endpoint ? { endpoint: answers.endpoint } : {}),
          },
          'b2m.json',
        );
        s.log.info(`wrote ${file}`);
        await s.session.reload();
        await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
        return file;
      } catch (error) {
        s.runner.report('Creating b2m.json', error);
        return undefined;
      }
    },
  };
}

async function askConfig(): Promise<InitArgs | undefined> {
  const bucket = await vscode.window.showInputBox({
    title: 'b2m: Create b2m.json (1/2)',
    prompt: 'Name of the Backblaze B2 bucket that holds the shared databases',
    ignoreFocusOut: true,
    validateInput: (text) => (/^[A-Za-z0-9-]{6,63}$/.test(text) ? undefined : 'A B2 bucket name: 6 to 63 letters, digits or dashes.'),
  });
  if (!bucket) return undefined;
  const database = await vscode.window.showInputBox({
    title: 'b2m: Create b2m.json (2/2)',
    prompt: 'File name of the shared SQLite database',
    value: 'app.db',
    ignoreFocusOut: true,
  });
  if (!database) return undefined;
  return { bucket, databases: [database] };
}
