import * as vscode from 'vscode';
import type { Workspace } from '../../core/config';
import { parseMigrationFileName } from '../../core/migrations/naming';
import { databaseOfFile } from '../status/database-of-file';

/** Which database a document is a migration script of, if it is one (a well-named .py file in its migrations folder). */
export function migrationScriptOf(ws: Workspace | undefined, document: vscode.TextDocument): string | undefined {
  if (!ws || document.uri.scheme !== 'file' || !document.uri.fsPath.endsWith('.py')) return undefined;
  try {
    parseMigrationFileName(document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1));
  } catch {
    return undefined;
  }
  return databaseOfFile(ws, document.uri.fsPath);
}

/** The documents CodeLens and diagnostics look at; each then checks that it is a migration script. */
export const PYTHON_FILES: vscode.DocumentSelector = { scheme: 'file', pattern: '**/*.py' };
