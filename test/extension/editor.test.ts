// Migration scripts in the editor, inside a real extension host: CodeLens to test, diff and sync
// a pending script; warnings on risky statements as the script is typed; and the scripts applied
// before that were edited, renamed or deleted since, in the editor and the Pending Migrations view.
import * as assert from 'node:assert/strict';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { SyncOutcome } from '../../src/core/sync/sync';
import type { MigrationNode } from '../../src/extension/views/tree-nodes';
import { DB, Sandbox, sqlMigration } from './support/sandbox';

describe('migration scripts in the editor', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  const applied: Record<string, string> = {};

  before(async () => {
    sandbox = await Sandbox.open({ bucket: 'b2m-editor' });
    sandbox.sqlite("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO users VALUES (1, 'ann'), (2, 'bob');");
    for (const phrase of ['add email', 'add phone', 'add age']) {
      applied[phrase] = await sandbox.writeMigration(phrase, sqlMigration(`ALTER TABLE users ADD COLUMN ${phrase.split(' ')[1]} TEXT;`));
    }
    assert.equal((await vscode.commands.executeCommand<SyncOutcome>('b2m.sync', DB)).result, 'published');
  });

  after(async () => sandbox?.close());

  /** The lenses over a script, as the editor shows them once it is open. */
  async function lenses(path: string): Promise<vscode.CodeLens[]> {
    await sandbox.api.model.refresh();
    await vscode.workspace.openTextDocument(path);
    return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.file(path))) ?? [];
  }

  const titles = (found: vscode.CodeLens[]): string[] => found.map((lens) => lens.command?.title ?? '');

  async function run<T>(lens: vscode.CodeLens | undefined): Promise<T> {
    assert.ok(lens?.command);
    return vscode.commands.executeCommand<T>(lens.command.command, ...(lens.command.arguments ?? []));
  }

  /** The script's diagnostics once they satisfy `done` (they follow the text shortly). */
  async function diagnostics(uri: vscode.Uri, done: (found: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
    for (let waited = 0; waited < 5000; waited += 50) {
      const found = vscode.languages.getDiagnostics(uri);
      if (done(found)) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`diagnostics never settled: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message))}`);
  }

  it('a pending script gets Test, Diff Result and Sync above it; Test says what it changed and what is risky', async () => {
    const path = await sandbox.writeMigration('drop old users', sqlMigration('DELETE FROM users;'));
    const found = await lenses(path);
    assert.deepEqual(titles(found), ['$(beaker) Test', '$(diff) Diff Result', '$(cloud-upload) Sync']);
    const since = sandbox.notices.length;
    const tested = await run<{ tested: { fileName: string }[] }>(found[0]);
    assert.deepEqual(tested.tested.map((m) => m.fileName), [basename(path)]);
    const notice = await sandbox.notice((n) => /passed on a copy/.test(n.message), since);
    assert.equal(notice.severity, 'warning');
    assert.match(notice.message, /^b2m: \d+_drop_old_users\.py passed on a copy of app\.db \(your base\): users \+0 ~0 −2\. Warning: Every row of table users is deleted \(2 rows\)\. If only some rows should go, add a WHERE clause\.$/);
    assert.deepEqual(notice.actions.map((a) => a.label), ['Diff Result']);
    const node = sandbox.api.pendingMigrationsTree.getChildren({ kind: 'database', database: DB }).find((n): n is MigrationNode => n.kind === 'migration' && n.path === path);
    assert.equal(node?.state, 'tested');
  });

  it('Diff Result opens the diff view; Sync publishes', async () => {
    const path = sandbox.api.model.entry(DB).status!.pending[0]!.path;
    const found = await lenses(path);
    await run(found[1]);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.label.startsWith('Diff:'));
    for (let waited = 0; tabs().length === 0 && waited < 5000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(tabs().length, 1);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The script deletes every row: Sync asks in a modal first (answered "yes" here, as a test cannot click it).
    assert.equal(found[2]?.command?.command, 'b2m.sync');
    const synced = await vscode.commands.executeCommand<SyncOutcome>('b2m.sync', ...(found[2]?.command?.arguments ?? [DB]).slice(0, 1), { yes: true });
    assert.equal(synced.result, 'published');
    assert.deepEqual(synced.destructive.map((w) => w.kind), ['all-rows-deleted']);
    assert.deepEqual(titles(await lenses(path)), ['$(check) Applied: edits here never run', '$(new-file) New Migration']);
  });

  it('warns on risky statements as the script is edited, with the rule\'s message and hint', async () => {
    const path = await sandbox.writeMigration('tidy', sqlMigration('UPDATE users SET name = upper(name) WHERE id = 1;'));
    const document = await vscode.workspace.openTextDocument(path);
    await vscode.window.showTextDocument(document);
    assert.deepEqual(await diagnostics(document.uri, () => true), []);

    const edit = new vscode.WorkspaceEdit();
    const where = document.getText().indexOf(' WHERE id = 1');
    edit.delete(document.uri, new vscode.Range(document.positionAt(where), document.positionAt(where + ' WHERE id = 1'.length)));
    assert.ok(await vscode.workspace.applyEdit(edit));
    const [warning] = await diagnostics(document.uri, (found) => found.length === 1);
    assert.equal(warning!.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(warning!.source, 'b2m');
    assert.equal(warning!.code, 'all-rows-updated');
    assert.equal(warning!.message, 'UPDATE without WHERE changes every row of table users. If only some rows should change, add a WHERE clause.');
    assert.equal(document.getText(warning!.range), 'UPDATE users SET name = upper(name)');

    const more = new vscode.WorkspaceEdit();
    more.insert(document.uri, document.positionAt(document.getText().indexOf('UPDATE')), 'DROP TABLE IF EXISTS old_users; ');
    assert.ok(await vscode.workspace.applyEdit(more));
    const both = await diagnostics(document.uri, (found) => found.length === 2);
    assert.deepEqual(both.map((d) => d.code), ['table-dropped', 'all-rows-updated']);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await diagnostics(document.uri, (found) => found.length === 0);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(path);
  });

  it('scripts edited, renamed or deleted after they were applied, and one out of order, show with what to do', async () => {
    writeFileSync(applied['add email']!, `${readFileSync(applied['add email']!, 'utf8')}# tidied up later\n`);
    const phone = applied['add phone']!;
    renameSync(phone, join(dirname(phone), basename(phone).replace('add_phone', 'add_phone_number')));
    rmSync(applied['add age']!);
    const emailId = basename(applied['add email']!).slice(0, 23);
    const late = join(dirname(phone), `${emailId.slice(0, 22)}${(Number(emailId[22]) + 1) % 10}_late_fix.py`);
    writeFileSync(late, sqlMigration("UPDATE users SET name = 'x' WHERE id = 99;"));
    await sandbox.api.model.refresh();

    const nodes = sandbox.api.pendingMigrationsTree.getChildren({ kind: 'database', database: DB }).filter((n): n is MigrationNode => n.kind === 'migration');
    assert.deepEqual(
      nodes.map((n) => [n.fileName.replace(/^\d+_/, ''), n.state, n.issue?.kind]),
      [
        ['late_fix.py', 'new', 'out-of-order'],
        ['add_email.py', 'changed', 'changed'],
        ['add_phone_number.py', 'renamed', 'renamed'],
        ['add_age.py', 'missing', 'missing'],
      ],
    );
    const item = (fileName: string) => sandbox.api.pendingMigrationsTree.getTreeItem(nodes.find((n) => n.fileName.endsWith(fileName))!);
    assert.match(String(item('late_fix.py').description), /^new · out of order/);
    const edited = (item('add_email.py').tooltip as vscode.MarkdownString).value;
    assert.match(edited, /edited after it was applied/);
    assert.match(edited, /\*\*What to do:\*\* Restore the script as it was applied/);
    assert.equal(item('add_age.py').command, undefined, 'a deleted script has nothing to open');
    assert.match(String(item('add_age.py').description), /^missing/);
    assert.match(sandbox.api.statusBar.view.text, /4 script warnings/);

    assert.deepEqual(titles(await lenses(applied['add email']!)), ['$(warning) Edited after it was applied', '$(new-file) New Migration']);
  });
});
