import * as vscode from 'vscode';
import { formatBytes } from '../../core/format';
import { normalisePhrase } from '../../core/migrations/naming';
import { numberVersions, versionLabel } from '../../core/versions/numbering';
import type { DatabaseVersion } from '../../core/versions/version-info';
import { statusLook } from '../status/status-presentation';
import { timeWithZone } from '../time-format';
import { isB2mNode, type VersionNode } from '../views/tree-nodes';
import type { CommandServices } from './command-services';

/**
 * The database a command is about: from its argument (a tree node, or a database name from the
 * status bar, a keybinding or a test), else the only one, else asked.
 */
export async function databaseArgument(services: CommandServices, arg: unknown): Promise<string | undefined> {
  const databases = services.model.databases;
  if (typeof arg === 'string' && databases.includes(arg)) return arg;
  if (isB2mNode(arg) && databases.includes(arg.database)) return arg.database;
  if (databases.length <= 1) return databases[0];
  const picked = await vscode.window.showQuickPick(
    databases.map((database) => ({ label: database, description: statusLook(services.model.entry(database)).summary })),
    { title: 'b2m: Which database?' },
  );
  return picked?.label;
}

/** A version passed as a tree node, or one picked from the database's history. */
export async function versionArgument(
  services: CommandServices,
  database: string,
  arg: unknown,
  title: string,
  exclude?: (version: DatabaseVersion, index: number) => boolean,
): Promise<VersionNode | undefined> {
  if (isB2mNode(arg) && arg.kind === 'version') return arg;
  const versions = await services.model.versions(database);
  const nodes = versionNodes(services, database, versions);
  const candidates = nodes.filter((node, index) => !exclude?.(node.version, index));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`b2m: ${database} has no ${versions.length === 0 ? 'remote versions' : 'other versions'} to choose from.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((node) => ({ ...versionPickItem(node), node })),
    { title, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.node;
}

/** A database's versions (newest first) as the nodes commands work with. */
export function versionNodes(services: CommandServices, database: string, versions: readonly DatabaseVersion[]): VersionNode[] {
  const base = services.model.entry(database).status?.baseVersionId;
  return numberVersions(versions).map(({ version, number }, index): VersionNode => ({ kind: 'version', database, version, number, isHead: index === 0, isBase: version.id === base }));
}

export function versionPickItem(node: VersionNode): vscode.QuickPickItem {
  const v = node.version;
  const marks = [node.isHead ? 'head' : '', node.isBase ? 'your base' : ''].filter(Boolean).join(', ');
  return {
    label: `${versionLabel(node.number)}${marks ? ` (${marks})` : ''}`,
    description: `${v.author ?? 'unknown'} · ${timeWithZone(v.uploadTimestamp)} · ${formatBytes(v.size)}`,
    detail: `newest migration ${v.migration ?? '-'} · id ${v.id}`,
  };
}

/** Asks for a migration phrase ("add users" → add_users); undefined when cancelled. */
export async function askPhrase(arg: unknown, title: string): Promise<string | undefined> {
  if (typeof arg === 'string' && arg.trim() !== '') return arg;
  return vscode.window.showInputBox({
    title,
    prompt: 'A few words saying what it changes; they become the file name (a-z, 0-9, _).',
    // Started from a walkthrough button, the walkthrough re-renders as the step is checked off and takes the focus.
    ignoreFocusOut: true,
    placeHolder: 'add users table',
    validateInput: (text) => {
      try {
        return { message: `File name: <id>_${normalisePhrase(text)}.py`, severity: vscode.InputBoxValidationSeverity.Info };
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
  });
}
