// A sync stopped by conflicts with a teammate's changes, inside a real extension host: the
// three-way view opens instead of an error, and publishing anyway puts your migration on top.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { downloadDatabase } from '../../src/core/sync/download';
import { syncDatabase, type SyncOutcome } from '../../src/core/sync/sync';
import { DB, Sandbox, sqlMigration, type Teammate } from './support/sandbox';

describe('conflicts with a teammate', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let carol: Teammate;

  before(async () => {
    sandbox = await Sandbox.open({ bucket: 'b2m-conflicts' });
    carol = await sandbox.teammate('carol');
    carol.sqlite("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO users VALUES (1, 'ann'), (2, 'bob');");
    await syncDatabase(await carol.context(), DB);
    await vscode.commands.executeCommand('b2m.download', DB);
  });

  after(async () => sandbox?.close());

  function conflictTabs(): vscode.Tab[] {
    return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.label === `Conflicts: ${DB}`);
  }

  it('opens the conflicts view instead of an error when a teammate changed the same cell', async () => {
    await carol.writeMigration('rename ann', sqlMigration("UPDATE users SET name = 'Ann C' WHERE id = 1;"));
    await syncDatabase(await carol.context(), DB);
    await sandbox.writeMigration('rename ann', sqlMigration("UPDATE users SET name = 'Ann A' WHERE id = 1;"));
    const since = sandbox.notices.length;
    assert.equal(await vscode.commands.executeCommand('b2m.sync', DB), undefined, 'nothing published');
    for (let waited = 0; conflictTabs().length === 0 && waited < 5000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(conflictTabs().length, 1, 'the conflicts view is open');
    assert.deepEqual(
      sandbox.notices.slice(since).filter((n) => n.severity === 'error' || /Remote changes/.test(n.message)),
      [],
      'no error and no "overlap" dialog: the view says it',
    );
  });

  it('publishing anyway (the view\'s button syncs with force) applies your migration on top of theirs', async () => {
    const since = sandbox.notices.length;
    const outcome = await vscode.commands.executeCommand<SyncOutcome>('b2m.sync', DB, { force: true });
    assert.equal(outcome.result, 'published');
    assert.equal(outcome.conflicts?.report.conflicts.length, 1);
    const notice = await sandbox.notice((n) => /^b2m: published app\.db v3/.test(n.message), since);
    assert.match(notice.message, /Your migrations were applied on top of 1 conflicting change\(s\) of theirs\./);
    const head = await downloadDatabase(await carol.context(), DB);
    assert.equal(head.version.author, 'alice');
    assert.equal(execFileSync('sqlite3', [join(carol.dir, DB), 'SELECT name FROM users WHERE id = 1'], { encoding: 'utf8' }).trim(), 'Ann A');
  });
});
