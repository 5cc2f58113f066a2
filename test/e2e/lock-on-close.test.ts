// A lock taken by hand ("b2m: Lock") is released when the window goes away, not a lease later:
// the test takes it from the palette, reloads the window (VS Code ends the extension host, calling
// deactivate()), and lists the bucket's lock files from this process.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { Team } from '../support/team.js';
import { startE2eSession, type E2eSession } from './harness/session.js';
import { waitFor } from './harness/wait.js';
import { readStatusBarItems, runCommand, screenshot } from './harness/workbench-ui.js';

const LEASE_SECONDS = 120;

describe('a lock taken by hand when the window closes', () => {
  let team: Team;
  let session: E2eSession;
  let page: Page;

  before(async () => {
    team = await Team.start({ developers: ['bob'], lock: { leaseSeconds: LEASE_SECONDS, settleSeconds: 0.5, maxUploadSeconds: 0.3 } });
    session = await startE2eSession({
      files: { 'b2m.json': readFileSync(join(team.dev('bob').dir, 'b2m.json'), 'utf8') },
      env: { B2_APPLICATION_KEY_ID: team.b2.keyId, B2_APPLICATION_KEY: team.b2.key, B2M_USER: 'alice' },
    });
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await team?.close();
  });

  // While the window reloads, the page has nothing to read.
  const statusBarItem = async (): Promise<string> => (await readStatusBarItems(page).catch(() => [])).find((text) => text.startsWith('app.db')) ?? '';

  test('is released within seconds of a window reload, not after its lease', async () => {
    await waitFor('the status of app.db', async () => /^app\.db: no file yet/.test(await statusBarItem()), 90_000);
    await runCommand(page, 'b2m: Lock');
    await waitFor('"locked by you" in the status bar', async () => /locked by you/.test(await statusBarItem()), 30_000);
    assert.notDeepEqual(await team.lockFiles(), [], 'the lock is in the bucket');
    await screenshot(page, 'lock-1-locked-by-hand');

    await runCommand(page, 'Developer: Reload Window');
    const reloaded = Date.now();
    await waitFor('no lock file left in the bucket', async () => (await team.lockFiles()).length === 0, 10_000);
    const seconds = (Date.now() - reloaded) / 1000;
    console.log(`lock released ${seconds.toFixed(1)} s after the reload (lease: ${LEASE_SECONDS} s)`);

    await waitFor('the reloaded window', async () => /^app\.db: no file yet/.test(await statusBarItem()), 90_000);
    await screenshot(page, 'lock-2-released-after-reload');
  });
});
