// A developer's session in the real workbench (code-server in Chromium), against a local B2 server
// a teammate (bob) already published two versions to: the sidebar, a lock another developer (carol)
// takes with the CLI, a migration created from the palette and synced, the versions tree growing,
// and the diff webview. Each step leaves a screenshot in artifacts/screenshots/e2e-*.png.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Team } from '../support/team.js';
import type { E2eSession } from './harness/session.js';
import { aliceSession, cliAs as cliAsIn, expectOk, teamWithUsers } from './harness/team-session.js';
import { waitFor } from './harness/wait.js';
import { openViewContainer, readStatusBarItems, readTreeRows, runCommand, screenshot, webviewFrame } from './harness/workbench-ui.js';

const ORDERS_MIGRATION = `import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.executescript("CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), total REAL NOT NULL); INSERT INTO orders VALUES (1, 1, 9.5);")
conn.commit()
conn.close()
`;

describe('b2m in the workbench', () => {
  let team: Team;
  let session: E2eSession;
  let page: Page;

  before(async () => {
    team = await teamWithUsers();
    const bob = team.dev('bob');
    await bob.writeMigration('add orders', ORDERS_MIGRATION);
    await expectOk(bob.run(['sync', 'app.db']));
    const files: Record<string, string> = {};
    for (const name of bob.scripts()) files[`scripts/${name}`] = readFileSync(join(bob.dir, 'scripts', name), 'utf8');
    session = await aliceSession(team, files);
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await team?.close();
  });

  /** Runs the CLI as another developer in the workspace folder (a clone of the same repository). */
  async function cliAs(user: string, args: string[]): Promise<void> {
    await expectOk(cliAsIn(team, session, user, args));
  }

  const statusBarItem = async (): Promise<string> => (await readStatusBarItems(page)).find((text) => text.startsWith('app.db')) ?? '';

  async function sidebarRows(): Promise<string[]> {
    return readTreeRows(page);
  }

  test('the sidebar lists the database with its status and, expanded, its remote versions', async () => {
    await openViewContainer(page, 'b2m');
    // A row's text is its label followed by its description.
    await waitFor('app.db in the Databases view', async () => (await sidebarRows()).some((row) => row.startsWith('app.db') && row.endsWith('not downloaded')), 90_000);
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'not downloaded' }).first().click();
    await waitFor('two versions under app.db', async () => {
      const rows = await sidebarRows();
      return rows.some((row) => row.startsWith('v2 (head)') && row.includes('bob')) && rows.some((row) => row.startsWith('v1'));
    });
    await screenshot(page, '1-sidebar-databases-and-versions');
  });

  test('b2m: Download from the palette brings the local copy to the head', async () => {
    await runCommand(page, 'b2m: Download');
    await waitFor('app.db up to date', async () => (await statusBarItem()).includes('up to date'), 60_000);
    await waitFor('v2 marked as your base', async () => (await sidebarRows()).some((row) => row.startsWith('v2 (head, your base)')));
    await waitFor('nothing pending', async () => (await page.locator('.part.sidebar .welcome-view-content', { hasText: 'No pending migrations' }).count()) > 0);
    await screenshot(page, '2-downloaded');
  });

  test('a lock taken by carol with the CLI shows in the status bar with its owner', async () => {
    await cliAs('carol', ['lock', 'app.db', '--detach']);
    await runCommand(page, 'b2m: Refresh');
    await waitFor('the lock in the status bar', async () => /app\.db: locked by carol until/.test(await statusBarItem()), 30_000);
    await page.locator('.statusbar-item', { hasText: 'locked by carol' }).hover();
    await waitFor('the status tooltip', async () => page.locator('.monaco-hover', { hasText: 'Locked by carol' }).isVisible());
    await screenshot(page, '3-locked-by-carol');
    await page.mouse.move(800, 500);
  });

  test('b2m: Create Migration from the palette asks the phrase and opens the new script', async () => {
    await runCommand(page, 'b2m: Create Migration');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor();
    await input.fill('add carol');
    await page.keyboard.press('Enter');
    await waitFor('the new script in an editor tab', async () => (await page.locator('.tab', { hasText: '_add_carol.py' }).count()) > 0);
    const script = readdirSync(join(session.workspace, 'scripts')).find((name) => name.endsWith('_add_carol.py'));
    assert.ok(script);
    // What the developer types into it:
    const path = join(session.workspace, 'scripts', script);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^SQL = """[\s\S]*?^"""$/m, `SQL = "INSERT INTO users VALUES (3, 'carol');"`));
    await waitFor('1 migration to push', async () => /1 to push/.test(await statusBarItem()), 30_000);
    await waitFor('the script in Pending Migrations', async () => (await sidebarRows()).some((row) => row.startsWith('add_carol') && row.includes('new ·')));
    await screenshot(page, '4-migration-created');
  });

  test('b2m: Sync publishes it once carol unlocks; the versions tree grows', async () => {
    await cliAs('carol', ['unlock', 'app.db']);
    await runCommand(page, 'b2m: Sync');
    await waitFor('app.db up to date after the sync', async () => /app\.db: up to date/.test(await statusBarItem()), 90_000);
    await waitFor('v3 in the versions tree', async () => (await sidebarRows()).some((row) => row.startsWith('v3 (head, your base)') && row.includes('alice')), 30_000);
    const heads = (await team.versions()).map((v) => v.author);
    assert.deepEqual(heads, ['alice', 'bob', 'bob']);
    await screenshot(page, '5-synced-versions-grew');
  });

  test('the diff webview shows the rows the migration changed', async () => {
    const v2 = page.locator('.part.sidebar .monaco-list-row', { hasText: /^v2/ }).first();
    await v2.hover();
    await v2.locator('.action-label[aria-label="Diff with Local File"]').click();
    await page.mouse.move(900, 700); // away from the sidebar, so that its hover does not cover the view
    const frame = webviewFrame(page);
    await waitFor('the inserted row in the diff view', async () => (await frame.locator('body').innerText().catch(() => '')).includes('carol'), 60_000);
    const text = await frame.locator('body').innerText();
    assert.match(text, /users/);
    assert.doesNotMatch(text, /\bann\b/, 'unchanged rows are not listed');
    await screenshot(page, '6-diff-webview');
  });
});
