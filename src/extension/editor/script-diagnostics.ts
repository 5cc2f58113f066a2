import * as vscode from 'vscode';
import { scanScript, type ScriptFinding } from '../../core/lint/scan-script';
import { Disposable } from '../lifecycle';
import type { WorkspaceSession } from '../workspace-session';
import { migrationScriptOf } from './migration-script';

const RESCAN_DELAY_MS = 150;

/**
 * Warnings on the risky statements of open migration scripts (DROP TABLE, ALTER TABLE … DROP
 * COLUMN, DELETE or UPDATE without WHERE), with what to check; updated as the script is edited.
 * A scan of the text only: nothing runs.
 */
export class ScriptDiagnostics extends Disposable {
  private readonly diagnostics = this.register(vscode.languages.createDiagnosticCollection('b2m'));
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly session: WorkspaceSession) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((document) => this.scan(document)));
    this.register(vscode.workspace.onDidChangeTextDocument((event) => this.scanSoon(event.document)));
    this.register(vscode.workspace.onDidCloseTextDocument((document) => this.diagnostics.delete(document.uri)));
    this.register(session.onDidChange(() => this.scanAll()));
    this.register({ dispose: () => this.timers.forEach((timer) => clearTimeout(timer)) });
    this.scanAll();
  }

  private scanAll(): void {
    this.diagnostics.clear();
    for (const document of vscode.workspace.textDocuments) this.scan(document);
  }

  private scanSoon(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.scan(document);
      }, RESCAN_DELAY_MS),
    );
  }

  private scan(document: vscode.TextDocument): void {
    if (!migrationScriptOf(this.session.workspace, document)) return;
    this.diagnostics.set(document.uri, scanScript(document.getText()).map(toDiagnostic));
  }
}

function toDiagnostic(finding: ScriptFinding): vscode.Diagnostic {
  const { start, end } = finding.range;
  const diagnostic = new vscode.Diagnostic(new vscode.Range(start.line, start.column, end.line, end.column), `${finding.message} ${finding.hint}`, vscode.DiagnosticSeverity.Warning);
  diagnostic.source = 'b2m';
  diagnostic.code = finding.kind;
  return diagnostic;
}
