import * as vscode from 'vscode';
import { diffDatabases } from '../../core/diff';
import { databaseRefLabel, resolveDatabaseRef, type DatabaseRef } from '../../core/versions/database-ref';
import { versionLabel } from '../../core/versions/numbering';
import { isB2mNode, type VersionNode } from '../views/tree-nodes';
import { databaseArgument, versionArgument, versionNodes, versionPickItem } from './arguments';
import type { CommandHandlers, CommandServices } from './command-services';
import { showDiff } from './migrations';

type DiffSide = { kind: 'local' } | { kind: 'version'; node: VersionNode };

const SELECTED_CONTEXT_KEY = 'b2m.versionSelectedForDiff';

/**
 * b2m.diff (any two of: the local file, remote versions), b2m.diffWithLocal, and the tree's
 * "Select for Diff" / "Diff with Selected" pair for two versions.
 */
export function diffCommands(s: CommandServices): CommandHandlers {
  let selected: VersionNode | undefined;
  return {
    'b2m.diff': async (arg?: unknown) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      const a = await pickSide(s, database, `b2m: Diff ${database} — from (1/2)`);
      if (!a) return undefined;
      const b = await pickSide(s, database, `b2m: Diff ${database} — to (2/2)`, a);
      return b ? diffSides(s, database, a, b) : undefined;
    },

    'b2m.diffWithLocal': async (arg?: unknown) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      const version = isB2mNode(arg) && arg.kind === 'version' ? arg : await versionArgument(s, database, undefined, `b2m: Diff which version of ${database} with your local file?`);
      return version ? diffSides(s, database, { kind: 'version', node: version }, { kind: 'local' }) : undefined;
    },

    'b2m.selectVersionForDiff': async (arg?: unknown) => {
      if (!isB2mNode(arg) || arg.kind !== 'version') return;
      selected = arg;
      await vscode.commands.executeCommand('setContext', SELECTED_CONTEXT_KEY, arg.database);
    },

    'b2m.diffWithSelectedVersion': async (arg?: unknown) => {
      if (!isB2mNode(arg) || arg.kind !== 'version') return undefined;
      const from = selected?.database === arg.database ? selected : await versionArgument(s, arg.database, undefined, `b2m: Diff ${versionLabel(arg.number)} of ${arg.database} with which version?`, (v) => v.id === arg.version.id);
      return from ? diffSides(s, arg.database, { kind: 'version', node: from }, { kind: 'version', node: arg }) : undefined;
    },
  };
}

async function pickSide(s: CommandServices, database: string, title: string, other?: DiffSide): Promise<DiffSide | undefined> {
  const nodes = versionNodes(s, database, await s.model.versions(database));
  const items: (vscode.QuickPickItem & { side: DiffSide })[] = [];
  if (other?.kind !== 'local') items.push({ label: '$(file) Local file', description: database, side: { kind: 'local' } });
  for (const node of nodes) {
    if (other?.kind === 'version' && other.node.version.id === node.version.id) continue;
    items.push({ ...versionPickItem(node), side: { kind: 'version', node } });
  }
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true }))?.side;
}

/** Diffs two sides (downloading versions as needed, cached by SHA-1) and shows the result. */
async function diffSides(s: CommandServices, database: string, a: DiffSide, b: DiffSide): Promise<unknown> {
  const result = await s.runner.run({ title: `Comparing ${label(database, a)} with ${label(database, b)}`, database, activity: 'Comparing', cancellable: true }, async (ctx) => {
    const [aPath, bPath] = [(await resolveDatabaseRef(ctx, database, refOf(a))).path, (await resolveDatabaseRef(ctx, database, refOf(b))).path];
    return diffDatabases(aPath, bPath, { ...(ctx.signal ? { signal: ctx.signal } : {}), labels: { a: label(database, a), b: label(database, b) } });
  });
  if (!result.ok) return undefined;
  await showDiff(s, database, result.value, `Diff: ${database}`);
  return result.value;
}

function refOf(side: DiffSide): Extract<DatabaseRef, { kind: 'local' | 'listed' }> {
  return side.kind === 'local' ? side : { kind: 'listed', version: { ...side.node.version, number: side.node.number } };
}

function label(database: string, side: DiffSide): string {
  return databaseRefLabel(database, refOf(side));
}
