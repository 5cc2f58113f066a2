// Two developers change the same cell through the command line (bob publishes, alice's script waits
// in her workspace); in the real workbench alice's script shows CodeLens and warnings, her sync
// opens the three-way conflicts view, and "Publish anyway" publishes hers on top of bob's. Each step
// leaves a screenshot in artifacts/screenshots/e2e-*.png.
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { sqlMigration, type Team } from '../support/team.js';
import type { E2eSession } from './harness/session.js';
import { aliceSession, cliAs, expectOk, teamWithUsers } from './harness/team-session.js';
import { waitFor } from './harness/wait.js';
import { openFile, openViewContainer, readStatusBarItems, readTreeRows, runCommand, screenshot, webviewFrame } from './harness/workbench-ui.js';

describe('conflicts in the workbench', () => {
  let team: Team;
  let session: E2eSession;
  let page: Page;

  before(async () => {
    team = await teamWithUsers();
    session = await aliceSession(team);
    page = session.page;
    // Alice downloads v1 and writes her change; then bob publishes his change of the same cell.
    await expectOk(cliAs(team, session, 'alice', ['download']));
    const created = await expectOk(cliAs(team, session, 'alice', ['migrations', 'create', 'rename', 'ann', '--json']));
    writeFileSync((JSON.parse(created.stdout) as { path: string }).path, sqlMigration("UPDATE users SET name = 'Ann A' WHERE id = 1;"));
    const bob = team.dev('bob');
    await bob.writeMigration('rename ann', sqlMigration("UPDATE users SET name = 'Ann B' WHERE id = 1;"));
    await expectOk(bob.run(['sync', 'app.db']));
  });

  after(async () => {
    await session?.close();
    await team?.close();
  });

  const statusBarItem = async (): Promise<string> => (await readStatusBarItems(page)).find((text) => text.startsWith('app.db')) ?? '';

  test('a migration script shows Test, Diff Result and Sync above it, and a warning on a risky statement', async () => {
    await openViewContainer(page, 'b2m');
    await waitFor('app.db behind with 1 to push', async () => /behind, 1 to push/.test(await statusBarItem()), 90_000);
    const risky = await expectOk(cliAs(team, session, 'alice', ['migrations', 'create', 'tidy', 'users', '--json']));
    const path = (JSON.parse(risky.stdout) as { path: string }).path;
    writeFileSync(path, sqlMigration('DELETE FROM users;'));
    await runCommand(page, 'b2m: Refresh');
    await waitFor('the new script pending', async () => /behind, 2 to push/.test(await statusBarItem()), 30_000);
    try {
      await openFile(page, '_tidy_users.py');
      const lenses = page.locator('.codelens-decoration');
      await waitFor('the CodeLens', async () => /Test\s+\|\s+Diff Result\s+\|\s+Sync/.test((await lenses.allTextContents()).join(' ')), 60_000);
      const squiggle = page.locator('.squiggly-warning').first();
      await squiggle.waitFor({ timeout: 30_000 });
      // The squiggle lies under the statement's text: the mouse goes over the text, as a person's would.
      const box = (await squiggle.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 4);
      const hover = page.locator('.monaco-hover', { hasText: 'DELETE without WHERE deletes every row of table users.' });
      await hover.waitFor({ timeout: 30_000 });
      assert.match(await hover.innerText(), /If only some rows should go, add a WHERE clause\./);
      await screenshot(page, 'editor-codelens-diagnostics');
    } finally {
      await page.mouse.move(900, 900);
      await runCommand(page, 'View: Close All Editors');
      rmSync(path);
    }
  });

  test('b2m: Sync opens the conflicts view: the ancestor, bob\'s and your value of the cell', async () => {
    await waitFor('only rename_ann pending', async () => /behind, 1 to push/.test(await statusBarItem()), 30_000);
    await runCommand(page, 'b2m: Sync');
    const frame = webviewFrame(page);
    await waitFor('the conflicts view', async () => (await frame.locator('.conflicts h1').innerText().catch(() => '')) === 'Conflicts: app.db', 60_000);
    const cells = await frame.locator('.conflict tbody tr').evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').trim())));
    assert.deepEqual(cells, [
      ['Ancestor · v1', 'ann'],
      ['Theirs · v2 by bob', 'Ann B'],
      ['Yours · rename_ann', 'Ann A'],
    ]);
    assert.match(await frame.locator('.explain.replay').innerText(), /Your migrations are replayed on the newest version \(v2\), so “Publish anyway” applies yours on top of theirs/);
    assert.equal((await team.versions()).length, 2, 'nothing was published');
    await screenshot(page, 'conflicts-1-three-way-view');
  });

  test('"Publish anyway" publishes alice\'s migration on top of bob\'s', async () => {
    const frame = webviewFrame(page);
    await frame.getByRole('button', { name: 'Publish anyway' }).click();
    await waitFor('v3 by alice', async () => (await team.versions()).map((v) => v.author).join() === 'alice,bob,bob', 60_000);
    assert.equal((await team.headQuery('SELECT name FROM users WHERE id = 1')).trim(), 'Ann A');
    await waitFor('app.db up to date', async () => /app\.db: up to date/.test(await statusBarItem()), 60_000);
    await waitFor('the conflicts view closed', async () => (await page.locator('.tab', { hasText: 'Conflicts: app.db' }).count()) === 0);
    await waitFor('the Databases view up to date', async () => (await readTreeRows(page)).some((row) => /^app\.db\s*up to date/.test(row)), 30_000);
    await screenshot(page, 'conflicts-2-published');
  });
});
