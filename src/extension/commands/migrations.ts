import * as vscode from 'vscode';
import type { DiffResult } from '../../core/diff/types';
import { lintDiff } from '../../core/lint';
import { MigrationFailedError } from '../../core/migrations/errors';
import { captureLocalEdits } from '../../core/sync/capture';
import { tryPendingMigrations } from '../../core/sync/try-migrations';
import type { Notice } from '../notices/notice';
import { isB2mNode } from '../views/tree-nodes';
import type { DiffPanel } from '../webview/diff-panel';
import { askPhrase, databaseArgument } from './arguments';
import type { CommandHandlers, CommandServices } from './command-services';
import { newMigration } from './new-migration';

/** How b2m.testMigrations reports: the diff view (default), or a notification with what changed and the risky changes found. */
export interface TestOptions {
  showDiff?: boolean;
}

/** b2m.testMigrations, b2m.captureLocalEdits. */
export function migrationCommands(s: CommandServices): CommandHandlers {
  return {
    'b2m.testMigrations': async (arg?: unknown, options?: TestOptions) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      const only = isB2mNode(arg) && arg.kind === 'migration' ? [arg.fileName] : undefined;
      const result = await s.runner.run(
        {
          title: `Testing ${only ? only[0] : `the pending migrations of ${database}`}`,
          database,
          activity: 'Testing migrations',
          cancellable: true,
          retry: { command: 'b2m.testMigrations', args: [arg, options] },
        },
        (ctx) => tryPendingMigrations(ctx, database, only ? { only } : {}),
      );
      if (!result.ok) {
        if (result.error instanceof MigrationFailedError) await s.testResults.record([result.error.migration], 'failed', result.error.message);
        return undefined;
      }
      const outcome = result.value;
      await s.testResults.record(outcome.tested, 'tested');
      if (outcome.tested.length === 0) {
        s.notifier.show({ severity: 'info', message: `b2m: ${database} has no pending migrations to test.`, actions: [] });
        return outcome;
      }
      if (options?.showDiff === false) s.notifier.show(testedNotice(outcome.tested.map((m) => m.fileName), outcome.diff, arg));
      else await showDiff(s, database, outcome.diff, `Test: ${database}`);
      return outcome;
    },

    'b2m.captureLocalEdits': async (arg?: unknown, phraseArg?: string) => {
      const database = await databaseArgument(s, arg);
      if (!database) return undefined;
      const phrase = await askPhrase(phraseArg, `b2m: Capture the local edits of ${database} as a migration`);
      if (!phrase) return undefined;
      const result = await s.runner.run({ title: `Capturing the local edits of ${database}`, database, activity: 'Capturing edits', cancellable: true }, (ctx) =>
        captureLocalEdits(ctx, database, phrase),
      );
      if (!result.ok) return undefined;
      const outcome = result.value;
      if (!outcome.script) {
        void vscode.window.showInformationMessage(`b2m: ${database} has no local edits to capture.`);
        return outcome;
      }
      await vscode.window.showTextDocument(vscode.Uri.file(outcome.script));
      void vscode.window.showInformationMessage(
        `b2m: captured ${outcome.statements} statement(s) on ${outcome.tables.join(', ') || 'the schema'} in a new migration. Review it, commit it, then sync.`,
      );
      return outcome;
    },
  };
}

/** Opens a diff in the diff panel; "Save as migration" turns its SQL into a new script. */
export async function showDiff(s: CommandServices, database: string, diff: DiffResult, title: string): Promise<DiffPanel> {
  const { DiffPanel } = await import('../webview/diff-panel');
  const panel = DiffPanel.open({
    extensionUri: s.extensionUri,
    title,
    onSaveAsMigration: async (shown) => {
      await newMigration(s, database, undefined, shown.sql);
    },
  });
  panel.showDiff(diff);
  return panel;
}

/** "add_users.py passed on a copy of your base: users +3 ~1 −0.", with the destructive changes it made. */
function testedNotice(scripts: string[], diff: DiffResult, arg: unknown): Notice {
  const parts = diff.tables.map((t) => `${t.table} +${t.summary.inserts} ~${t.summary.changes} −${t.summary.deletes}`);
  if (diff.objectChanges.length > 0) parts.push(`${diff.objectChanges.length} index, view or trigger change(s)`);
  const changes = parts.length > 0 ? parts.join(', ') : 'no changes';
  const warnings = lintDiff(diff);
  return {
    severity: warnings.length > 0 ? 'warning' : 'info',
    message: `b2m: ${scripts.join(', ')} passed on a copy of ${diff.a}: ${changes}.${warnings.map((w) => ` Warning: ${w.message} ${w.hint}`).join('')}`,
    actions: [{ label: 'Diff Result', command: 'b2m.testMigrations', args: [arg] }],
  };
}
