import * as vscode from 'vscode';
import type { Migration } from '../../core/migrations/discover';

export interface TestResult {
  outcome: 'tested' | 'failed';
  /** The script's checksum when tested: an edit since makes the result void. */
  checksum: string;
  failure?: string;
}

const STATE_KEY = 'b2m.migrationTestResults';

/**
 * What the last "Test Migrations" said about each script (the engine keeps no such record), kept
 * in the workspace state. A result counts only while the script's content is unchanged.
 */
export class MigrationTestResults {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly memento: vscode.Memento) {}

  resultOf(migration: Pick<Migration, 'id' | 'checksum'>): TestResult | undefined {
    const result = this.all()[migration.id];
    return result?.checksum === migration.checksum ? result : undefined;
  }

  async record(migrations: readonly Migration[], outcome: 'tested' | 'failed', failure?: string): Promise<void> {
    const all = this.all();
    for (const m of migrations) all[m.id] = { outcome, checksum: m.checksum, ...(failure ? { failure } : {}) };
    await this.memento.update(STATE_KEY, all);
    this.changeEmitter.fire();
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private all(): Record<string, TestResult> {
    return { ...this.memento.get<Record<string, TestResult>>(STATE_KEY, {}) };
  }
}
