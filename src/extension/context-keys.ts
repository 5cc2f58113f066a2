import * as vscode from 'vscode';
import type { SessionState } from './workspace-session';

/**
 * Context keys read by package.json's `when` clauses (views welcome, menus, enablement):
 *   b2m.state  'no-config' | 'invalid-config' | 'restricted' | 'no-credentials' | 'ready'
 *              ('restricted': b2m.json is there but the workspace is not trusted)
 *   b2m.empty  ready, but no database has a remote version or a local file yet
 *   b2m.busy   an operation of this window is running
 */
export function setSessionState(state: SessionState): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', 'b2m.state', state.kind);
}

export function setEmpty(empty: boolean): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', 'b2m.empty', empty);
}

export function setBusy(busy: boolean): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', 'b2m.busy', busy);
}
