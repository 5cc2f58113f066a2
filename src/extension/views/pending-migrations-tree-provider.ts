import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { migrationIdTime } from '../migration-id-time';
import type { MigrationTestResults } from '../migration-test-results';
import type { StatusModel } from '../status/status-model';
import { age, timeWithZone } from '../time-format';
import type { WorkspaceSession } from '../workspace-session';
import { fitDescription } from './row-text';
import type { B2mNode, DatabaseNode, MigrationNode, MigrationState } from './tree-nodes';

export const PENDING_MIGRATIONS_VIEW_ID = 'b2m.pendingMigrations';

const STATE_LOOK: Record<MigrationState, { label: string; meaning: string; icon: string; color?: string }> = {
  new: { label: 'new', meaning: 'not tested yet', icon: 'circle-large-outline' },
  tested: { label: 'tested', meaning: 'its last test passed', icon: 'pass', color: 'testing.iconPassed' },
  failed: { label: 'failed', meaning: 'its last test failed', icon: 'error', color: 'testing.iconFailed' },
  changed: { label: 'changed', meaning: 'changed after being applied; it is not run again', icon: 'warning', color: 'list.warningForeground' },
};

/**
 * The "Pending Migrations" view: per database, the scripts your base does not record yet (what
 * the next sync applies) in id order, with the outcome of their last test, then the scripts that
 * were edited after being applied (never run again). Clicking one opens it.
 */
export class PendingMigrationsTreeProvider extends Disposable implements vscode.TreeDataProvider<B2mNode> {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<B2mNode | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;

  constructor(
    private readonly session: WorkspaceSession,
    private readonly model: StatusModel,
    private readonly testResults: MigrationTestResults,
  ) {
    super();
    this.register(model.onDidChange(() => this.changeEmitter.fire(undefined)));
    this.register(testResults.onDidChange(() => this.changeEmitter.fire(undefined)));
  }

  getChildren(element?: B2mNode): B2mNode[] {
    if (this.session.state.kind !== 'ready') return [];
    // Only databases with something pending: an empty view shows its welcome text instead.
    if (!element) {
      return this.model.databases.filter((database) => this.migrationNodes(database).length > 0).map((database): DatabaseNode => ({ kind: 'database', database }));
    }
    return element.kind === 'database' ? this.migrationNodes(element.database) : [];
  }

  getParent(node: B2mNode): B2mNode | undefined {
    return node.kind === 'database' ? undefined : { kind: 'database', database: node.database };
  }

  getTreeItem(node: B2mNode): vscode.TreeItem {
    if (node.kind === 'database') {
      const count = this.migrationNodes(node.database).length;
      const item = new vscode.TreeItem(node.database, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `pending:${node.database}`;
      const against = this.model.entry(node.database).status?.pendingAgainst;
      const scripts = `${count} script${count === 1 ? '' : 's'}`;
      if (against === 'head' || against === undefined) {
        item.description = scripts;
        item.tooltip = `${scripts} not in the remote head of ${node.database}: the next sync applies them.`;
      } else {
        const mine = against === 'base' ? 'your base' : 'your local file';
        item.description = fitDescription(node.database, [scripts, `vs ${mine}`], 0);
        item.tooltip = `${scripts} not in ${mine}. Download or sync to compare with the remote head.`;
      }
      item.iconPath = new vscode.ThemeIcon('database');
      item.contextValue = 'b2m-pending-database';
      return item;
    }
    if (node.kind !== 'migration') return new vscode.TreeItem('');
    const look = STATE_LOOK[node.state];
    // The phrase says what it does; the id only when it was written, so it goes after the state.
    const label = node.fileName.replace(/^\d+_/, '').replace(/\.py$/, '');
    const written = migrationIdTime(node.id);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `migration:${node.database}:${node.fileName}`;
    item.description = fitDescription(label, [look.label, age(written)], 1);
    item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
    item.resourceUri = vscode.Uri.file(node.path);
    item.tooltip = new vscode.MarkdownString(
      `**${node.fileName}** — ${look.meaning}\n\nWritten ${timeWithZone(written)}${node.failure ? `\n\nLast test failed: ${node.failure}` : ''}\n\n${node.path}`,
    );
    item.command = { command: 'vscode.open', title: 'Open Migration', arguments: [vscode.Uri.file(node.path)] };
    item.contextValue = `b2m-migration migration-${node.state}`;
    return item;
  }

  /** The rows under one database (also what the tests read). */
  migrationNodes(database: string): MigrationNode[] {
    const status = this.model.entry(database).status;
    if (!status) return [];
    const scripts = this.model.scriptsOf(database);
    const pending = status.pending.map((migration): MigrationNode => {
      const result = this.testResults.resultOf(migration);
      return {
        kind: 'migration',
        database,
        id: migration.id,
        fileName: migration.fileName,
        path: migration.path,
        state: result?.outcome ?? 'new',
        ...(result?.failure ? { failure: result.failure } : {}),
      };
    });
    const changed = status.changed.flatMap((fileName): MigrationNode[] => {
      const script = scripts.find((m) => m.fileName === fileName);
      return script ? [{ kind: 'migration', database, id: script.id, fileName, path: script.path, state: 'changed' }] : [];
    });
    return [...pending, ...changed];
  }
}

