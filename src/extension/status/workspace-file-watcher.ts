import * as vscode from 'vscode';
import type { Workspace } from '../../core/config';
import { Disposable, disposeAll } from '../lifecycle';
import type { WorkspaceSession } from '../workspace-session';

const DEBOUNCE_MS = 300;

/**
 * Calls `onChange` (debounced) when a migration script or a local database file of the workspace
 * is created, changed or deleted, so the views do not wait for the next poll.
 */
export class WorkspaceFileWatcher extends Disposable {
  private watchers: vscode.Disposable[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    session: WorkspaceSession,
    private readonly onChange: () => void,
  ) {
    super();
    this.register(session.onDidChange(() => this.watch(session.workspace)));
    this.register({ dispose: () => (clearTimeout(this.timer), disposeAll(this.watchers)) });
    this.watch(session.workspace);
  }

  private watch(ws: Workspace | undefined): void {
    disposeAll(this.watchers);
    if (!ws) return;
    const root = vscode.Uri.file(ws.root);
    const scripts = `${trimSlashes(ws.config.migrationsDir)}/**/*.py`;
    const localDir = trimSlashes(ws.config.localDir);
    const databases = `${localDir === '.' || localDir === '' ? '' : `${localDir}/`}{${ws.config.databases.join(',')}}`;
    for (const pattern of [scripts, databases]) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, pattern));
      const changed = (): void => this.changed();
      this.watchers.push(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed));
    }
  }

  private changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.onChange, DEBOUNCE_MS);
  }
}

function trimSlashes(path: string): string {
  return path.replace(/^\.\/+/, '').replace(/\/+$/, '');
}
