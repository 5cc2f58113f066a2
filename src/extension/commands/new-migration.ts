import * as vscode from 'vscode';
import { createMigration } from '../../core/migrations/create';
import { scriptsOf } from '../../core/migrations/database-scripts';
import { isB2mNode } from '../views/tree-nodes';
import { askPhrase, databaseArgument } from './arguments';
import type { CommandHandlers, CommandServices } from './command-services';

export interface CreateMigrationArgs {
  database?: string;
  phrase?: string;
  /** SQL to start the script with (e.g. from a diff). */
  sql?: string;
}

/** b2m.createMigration: a module of its own, so writing a script loads neither the diff engine nor the webview host. */
export function newMigrationCommands(s: CommandServices): CommandHandlers {
  return {
    'b2m.createMigration': async (arg?: unknown) => {
      const args: CreateMigrationArgs = isCreateArgs(arg) ? arg : {};
      const database = await databaseArgument(s, args.database ?? arg);
      if (!database) return undefined;
      return newMigration(s, database, args.phrase, args.sql);
    },
  };
}

/** Asks the phrase if needed, writes the script from the template and opens it. */
export async function newMigration(s: CommandServices, database: string, phraseArg?: string, sql?: string): Promise<string | undefined> {
  const ws = s.session.workspace;
  if (!ws) return undefined;
  const phrase = await askPhrase(phraseArg, `b2m: New migration of ${database}`);
  if (!phrase) return undefined;
  try {
    const path = await createMigration({ ...scriptsOf(ws, database), phrase, ...(sql ? { sql } : {}) });
    s.log.info(`created ${path}`);
    await vscode.window.showTextDocument(vscode.Uri.file(path));
    await s.refreshNow();
    return path;
  } catch (error) {
    s.runner.report('Creating the migration', error);
    return undefined;
  }
}

function isCreateArgs(arg: unknown): arg is CreateMigrationArgs {
  return typeof arg === 'object' && arg !== null && !isB2mNode(arg) && ('phrase' in arg || 'database' in arg || 'sql' in arg);
}
