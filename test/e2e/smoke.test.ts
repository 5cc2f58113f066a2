import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startE2eSession, type E2eSession } from './harness/session.js';
import { waitFor } from './harness/wait.js';
import { openViewContainer, readOutputChannels, readStatusBarItems, readTreeRows, screenshot } from './harness/workbench-ui.js';

describe('workbench smoke', () => {
  let session: E2eSession;
  before(async () => {
    session = await startE2eSession();
  });
  after(async () => {
    await session?.close();
  });

  test('the window is an Extension Development Host on the b2m workspace', async () => {
    assert.match(await session.page.title(), /^\[Extension Development Host\] workspace\b/);
  });

  test('the explorer shows the workspace b2m.json', async () => {
    await openViewContainer(session.page, 'Explorer');
    await waitFor('b2m.json in the explorer', async () => (await readTreeRows(session.page)).includes('b2m.json'));
  });

  test('the extension activates and creates its b2m output channel', async () => {
    await waitFor('the b2m output channel', async () => (await readOutputChannels(session.page)).includes('b2m'), 90_000);
  });

  test('the status bar is drawn and a screenshot is saved', async () => {
    assert.ok((await readStatusBarItems(session.page)).length > 0);
    assert.ok(existsSync(await screenshot(session.page, 'smoke-workbench')));
  });
});
