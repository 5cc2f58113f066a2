import * as vscode from 'vscode';
import type { ScriptIssue } from '../../core/migrations/integrity';
import { migrationIdTime } from '../../core/migrations/naming';
import { Disposable } from '../lifecycle';
import type { MigrationTestResults } from '../editor/migration-test-results';
import type { StatusModel } from '../status/status-model';
import { escapeMarkdown } from '../status/status-presentation';
import { age, timeWithZone } from '../time-format';
import type { WorkspaceSession } from '../workspace-session';
import { fitDescription } from './row-text';
import type { B2mNode, DatabaseNode, MigrationNode, MigrationState } from './tree-nodes';

export const PENDING_MIGRATIONS_VIEW_ID = 'b2m.pendingMigrations';

const WARNING = 'list.warningForeground';

const STATE_LOOK: Record<MigrationState, { label: string; meaning: string; icon: string; color?: string }> = {
  new: { label: 'new', meaning: 'not tested yet', icon: 'circle-large-outline' },
  tested: { label: 'tested', meaning: 'its last test passed', icon: 'pass', color: 'testing.iconPassed' },
  failed: { label: 'failed', meaning: 'its last test failed', icon: 'error', color: 'testing.iconFailed' },
  changed: { label: 'edited', meaning: 'edited after it was applied; the edit never runs', icon: 'warning', color: WARNING },
  renamed: { label: 'renamed', meaning: 'renamed after it was applied', icon: 'warning', color: WARNING },
  missing: { label: 'missing', meaning: 'applied, but its file is gone', icon: 'warning', color: WARNING },
};

/**
 * The "Pending Migrations" view: per database, the scripts the head does not record yet (what the
 * next sync applies) in id order, with the outcome of their last test and a warning when one
 * runs out of order; then the scripts applied before that were edited, renamed or deleted since.
 * Tooltips say what to do. Clicking one opens it.
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
    const outOfOrder = node.issue?.kind === 'out-of-order';
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `migration:${node.database}:${node.fileName}`;
    item.description = fitDescription(label, [look.label, ...(outOfOrder ? ['out of order'] : []), ...(written === undefined ? [] : [age(written)])], 1);
    const color = look.color ?? (outOfOrder ? WARNING : undefined);
    item.iconPath = new vscode.ThemeIcon(outOfOrder && node.state === 'new' ? 'warning' : look.icon, color ? new vscode.ThemeColor(color) : undefined);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMarkdown(node.fileName)}** — ${look.meaning}\n\n${escapeMarkdown(written === undefined ? `Id ${node.id}` : `Written ${timeWithZone(written)}`)}`);
    if (node.failure) md.appendMarkdown(`\n\nLast test failed: ${escapeMarkdown(node.failure)}`);
    if (node.issue) md.appendMarkdown(`\n\n$(warning) ${escapeMarkdown(node.issue.message)}\n\n**What to do:** ${escapeMarkdown(node.issue.hint)}`);
    if (node.path) {
      md.appendMarkdown(`\n\n${escapeMarkdown(node.path)}`);
      item.resourceUri = vscode.Uri.file(node.path);
      item.command = { command: 'vscode.open', title: 'Open Migration', arguments: [vscode.Uri.file(node.path)] };
    }
    item.tooltip = md;
    item.contextValue = `b2m-migration migration-${node.state}${node.issue ? ` issue-${node.issue.kind}` : ''}`;
    return item;
  }

  /** The rows under one database (also what the tests read). */
  migrationNodes(database: string): MigrationNode[] {
    const status = this.model.entry(database).status;
    if (!status) return [];
    const scripts = this.model.scriptsOf(database);
    const issueOf = (fileName: string, kind: ScriptIssue['kind']): ScriptIssue | undefined => status.scriptIssues.find((i) => i.fileName === fileName && i.kind === kind);
    const pending = status.pending.map((migration): MigrationNode => {
      const result = this.testResults.resultOf(migration);
      const issue = issueOf(migration.fileName, 'out-of-order');
      return {
        kind: 'migration',
        database,
        id: migration.id,
        fileName: migration.fileName,
        path: migration.path,
        state: result?.outcome ?? 'new',
        ...(result?.failure ? { failure: result.failure } : {}),
        ...(issue ? { issue } : {}),
      };
    });
    const applied = status.scriptIssues.flatMap((issue): MigrationNode[] => {
      if (issue.kind === 'out-of-order') return [];
      const path = scripts.find((m) => m.fileName === issue.fileName)?.path;
      return [{ kind: 'migration', database, id: issue.id, fileName: issue.fileName, ...(path ? { path } : {}), state: issue.kind, issue }];
    });
    return [...pending, ...applied];
  }
}

