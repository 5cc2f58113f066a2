// A cloned repository opened with Workspace Trust on (VS Code's default): its b2m.json names a
// `python` that is a wrapper writing a marker file whenever it runs. Untrusted, b2m only lists the
// database (Restricted Mode), asks for trust instead of syncing, and never runs the wrapper; once
// the folder is trusted, the status appears without a reload, and that same wrapper runs.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createScratchDir, type ScratchDir } from '../support/vscode/scratch-dir.js';
import { Team } from '../support/team.js';
import { startE2eSession, type E2eSession } from './harness/session.js';
import { waitFor } from './harness/wait.js';
import { openViewContainer, readNotifications, readStatusBarItems, readTreeRows, runCommand, screenshot } from './harness/workbench-ui.js';

describe('b2m in an untrusted workspace', () => {
  let team: Team;
  let session: E2eSession;
  let page: Page;
  let tools: ScratchDir;
  let marker: string;

  before(async () => {
    team = await Team.start({ developers: ['bob'] });
    const bob = team.dev('bob');
    bob.sql('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);');
    const published = await bob.run(['sync', 'app.db']);
    assert.equal(published.code, 0, published.stderr);

    tools = createScratchDir('py');
    marker = join(tools.path, 'python-ran');
    const wrapper = join(tools.path, 'python');
    writeFileSync(wrapper, `#!/bin/sh\necho "$@" >> '${marker}'\nexec python3 "$@"\n`);
    chmodSync(wrapper, 0o755);
    const config = { ...JSON.parse(readFileSync(join(bob.dir, 'b2m.json'), 'utf8')), python: wrapper, checkScript: 'checks/verify.py' };
    session = await startE2eSession({
      workspaceTrust: true,
      files: { 'b2m.json': JSON.stringify(config, null, 2), 'checks/verify.py': 'import sys\n' },
      env: { B2_APPLICATION_KEY_ID: team.b2.keyId, B2_APPLICATION_KEY: team.b2.key, B2M_USER: 'alice' },
    });
    page = session.page;
    // A local copy the status would inspect with Python (the migrations it records), were it allowed to.
    execFileSync('python3', ['-c', 'import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute("CREATE TABLE t (x)")', join(session.workspace, 'app.db')]);
  });

  after(async () => {
    await session?.close();
    await team?.close();
    tools?.remove();
  });

  const statusBarItem = async (): Promise<string> => (await readStatusBarItems(page)).find((text) => text.startsWith('app.db')) ?? '';

  test('the views list the database in Restricted Mode, and nothing has run', async () => {
    await openViewContainer(page, 'b2m');
    await waitFor('app.db in Restricted Mode in the Databases view', async () => (await readTreeRows(page)).some((row) => /^app\.db\s*Restricted Mode$/.test(row)), 90_000);
    await waitFor('the Restricted Mode message', async () => (await page.locator('.part.sidebar', { hasText: 'runs no Python and does not contact the bucket' }).count()) > 0);
    await waitFor('the Pending Migrations welcome', async () => (await page.locator('.part.sidebar .welcome-view-content', { hasText: 'Restricted Mode' }).count()) > 0);
    await waitFor('the status bar item', async () => (await statusBarItem()) === 'app.db: Restricted Mode');
    await screenshot(page, 'restricted-1-views');
    assert.equal(existsSync(marker), false, 'the python of b2m.json ran in an untrusted workspace');
  });

  test('b2m: Sync asks to trust the workspace instead of running anything', async () => {
    await runCommand(page, 'b2m: Sync');
    await waitFor('the trust notification', async () => (await readNotifications(page)).some((text) => text.includes('Trust this workspace to sync')));
    await screenshot(page, 'restricted-2-sync-asks-for-trust');
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'b2m: Test Migrations');
    await waitFor('the trust notification again', async () => (await readNotifications(page)).some((text) => text.includes('Trust this workspace to sync')));
    await runCommand(page, 'Notifications: Clear All Notifications');
    assert.equal(existsSync(marker), false, 'the python of b2m.json ran in an untrusted workspace');
    assert.deepEqual(await team.lockFiles(), [], 'nothing reached the bucket');
  });

  test('once the folder is trusted, the status appears without a reload', async () => {
    await runCommand(page, 'Workspaces: Manage Workspace Trust');
    await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).click();
    await waitFor('the status of app.db', async () => (await statusBarItem()) === 'app.db: not downloaded', 60_000);
    await openViewContainer(page, 'b2m');
    await waitFor('app.db with its status in the Databases view', async () => (await readTreeRows(page)).some((row) => /^app\.db\s*not downloaded$/.test(row)));
    await screenshot(page, 'restricted-3-trusted');
    // The status comes from the head's manifest; testing the migrations reads the local file with Python.
    await runCommand(page, 'b2m: Test Migrations');
    await waitFor('the python of b2m.json to run once trusted (else the wrapper proves nothing)', async () => existsSync(marker), 60_000);
  });
});
