import * as vscode from 'vscode';
import type { StatusLook } from '../status/status-presentation';

export function severityColor(severity: StatusLook['severity']): vscode.ThemeColor | undefined {
  switch (severity) {
    case 'ok':
      return new vscode.ThemeColor('testing.iconPassed');
    case 'warning':
      return new vscode.ThemeColor('list.warningForeground');
    case 'error':
      return new vscode.ThemeColor('list.errorForeground');
    case 'info':
      return undefined;
  }
}
