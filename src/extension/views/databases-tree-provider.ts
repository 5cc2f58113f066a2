import * as vscode from 'vscode';
import { formatBytes } from '../../core/format';
import { numberVersions, versionLabel } from '../../core/versions/numbering';
import { Disposable } from '../lifecycle';
import type { StatusModel } from '../status/status-model';
import { describeOvertaken } from '../status/fork-text';
import { codeSpan, escapeMarkdown, statusLook, statusTooltip, type VersionNumberLookup } from '../status/status-presentation';
import { readSettings } from '../settings';
import { age, timeWithZone } from '../time-format';
import type { WorkspaceSession } from '../workspace-session';
import type { B2mNode, DatabaseNode, MessageNode, VersionNode } from './tree-nodes';
import { fitDescription } from './row-text';
import { severityColor } from './tree-colors';

export const DATABASES_VIEW_ID = 'b2m.databases';

/**
 * The "Databases" view: each configured database with its status; expanded, its remote versions
 * newest first, marking the head and the version your local copy is based on. Rows say little
 * (they fit the default sidebar width); tooltips say the rest. In Restricted Mode it lists the
 * databases b2m.json names, without status or versions.
 */
export class DatabasesTreeProvider extends Disposable implements vscode.TreeDataProvider<B2mNode> {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<B2mNode | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;

  constructor(
    private readonly session: WorkspaceSession,
    private readonly model: StatusModel,
  ) {
    super();
    this.register(model.onDidChange(() => this.changeEmitter.fire(undefined)));
  }

  async getChildren(element?: B2mNode): Promise<B2mNode[]> {
    if (this.session.state.kind === 'restricted') return element ? [] : this.model.databases.map((database): DatabaseNode => ({ kind: 'database', database }));
    if (this.session.state.kind !== 'ready') return [];
    if (!element) {
      // Nothing anywhere yet: an empty view shows the "nothing yet" welcome instead.
      if (this.model.isEmpty) return [];
      return this.model.databases.map((database): DatabaseNode => ({ kind: 'database', database }));
    }
    if (element.kind !== 'database') return [];
    return this.versionNodes(element.database);
  }

  getTreeItem(node: B2mNode): vscode.TreeItem {
    switch (node.kind) {
      case 'database':
        return this.databaseItem(node);
      case 'version':
        return versionItem(node, (id) => this.model.versionNumber(node.database, id));
      default:
        return messageItem(node as MessageNode);
    }
  }

  getParent(node: B2mNode): B2mNode | undefined {
    return node.kind === 'database' ? undefined : { kind: 'database', database: node.database };
  }

  private databaseItem(node: DatabaseNode): vscode.TreeItem {
    const entry = this.model.entry(node.database);
    const look = statusLook(entry);
    const status = entry.status;
    const item = new vscode.TreeItem(node.database, status?.head ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `database:${node.database}`;
    item.description = fitDescription(node.database, look.facts, 0);
    item.tooltip = statusTooltip(entry, this.model.refreshedAt);
    item.iconPath = new vscode.ThemeIcon(look.icon, severityColor(look.severity));
    // Tokens the menus in package.json match with `viewItem =~ /\btoken\b/`.
    const tokens = ['b2m-database', `sync-${status?.sync ?? 'unknown'}`, `lock-${status?.lock ?? 'unknown'}`];
    if (status?.localExists) tokens.push('has-local');
    if (status?.head) tokens.push('has-remote');
    if (status && status.pending.length > 0) tokens.push('has-pending');
    if (status?.uncaptured) tokens.push('uncaptured');
    item.contextValue = tokens.join(' ');
    return item;
  }

  private async versionNodes(database: string): Promise<B2mNode[]> {
    try {
      const versions = await this.model.versions(database);
      if (versions.length === 0) return [{ kind: 'message', database, text: 'No remote versions yet', icon: 'info' }];
      const status = this.model.entry(database).status;
      const base = status?.baseVersionId;
      const overtaken = new Map([...(status?.forks ?? []), ...(status?.baseOvertaken ? [status.baseOvertaken] : [])].map((fork) => [fork.version.id, fork]));
      const limit = readSettings().historyLimit;
      const nodes: B2mNode[] = numberVersions(versions)
        .slice(0, limit)
        .map(({ version, number }, index): VersionNode => {
          const fork = overtaken.get(version.id);
          return {
            kind: 'version',
            database,
            version,
            number,
            isHead: index === 0,
            isBase: version.id === base,
            ...(version.migration ? { migrationName: this.model.migrationName(database, version.migration) } : {}),
            ...(fork ? { overtaken: fork } : {}),
          };
        });
      if (versions.length > limit) {
        nodes.push({ kind: 'message', database, text: `${versions.length - limit} older versions`, detail: '"b2m: Show History" lists them all.', icon: 'ellipsis' });
      }
      return nodes;
    } catch (error) {
      return [{ kind: 'message', database, text: 'Could not list versions', detail: error instanceof Error ? error.message : String(error), icon: 'warning' }];
    }
  }
}

function versionItem(node: VersionNode, numberOf: VersionNumberLookup): vscode.TreeItem {
  const v = node.version;
  const marks = [node.isHead ? 'head' : '', node.isBase ? 'your base' : '', node.overtaken ? 'overtaken' : ''].filter(Boolean);
  const label = `${versionLabel(node.number)}${marks.length ? ` (${marks.join(', ')})` : ''}`;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `version:${node.database}:${v.id}`;
  item.description = fitDescription(label, [v.author ?? 'unknown', age(v.uploadTimestamp)], 1);
  item.iconPath = node.overtaken
    ? new vscode.ThemeIcon('repo-forked', new vscode.ThemeColor('list.warningForeground'))
    : new vscode.ThemeIcon(node.isHead ? 'circle-filled' : node.isBase ? 'pass' : 'circle-outline');
  // Author, migration and ids are the bucket's metadata: whoever can write the bucket sets them.
  const other = (id: string): string => `${numberOf(id) ?? 'a version no longer listed'} (${codeSpan(id)})`;
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escapeMarkdown(`${node.database} ${versionLabel(node.number)}`)}**${marks.length ? ` — ${marks.join(', ')}` : ''}\n\n`);
  md.appendMarkdown(`- Uploaded ${escapeMarkdown(`${timeWithZone(v.uploadTimestamp)} by ${v.author ?? 'unknown'}`)}\n- Size ${escapeMarkdown(formatBytes(v.size))}\n`);
  md.appendMarkdown(`- Newest migration: ${v.migration ? escapeMarkdown(`${node.migrationName ?? ''} (${v.migration})`) : 'none'}\n- Version id: ${codeSpan(v.id)}\n`);
  if (v.parent) md.appendMarkdown(`- Built on: ${other(v.parent)}\n`);
  if (v.restoredFrom) md.appendMarkdown(`- Restores: ${other(v.restoredFrom)}\n`);
  if (node.overtaken) md.appendMarkdown(`\n${escapeMarkdown(describeOvertaken(node.overtaken, node.isBase))}\n`);
  item.tooltip = md;
  item.contextValue = ['b2m-version', node.isHead ? 'head' : 'older', node.isBase ? 'base' : '', node.overtaken ? 'overtaken' : ''].filter(Boolean).join(' ');
  return item;
}

function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon(node.icon);
  if (node.detail) item.tooltip = node.detail;
  item.contextValue = 'b2m-message';
  return item;
}
