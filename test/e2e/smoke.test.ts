import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startE2eSession, type E2eSession } from './harness/session.js';
import { readOutputChannels, readStatusBarItems, readTreeRows, openViewContainer, screenshot } from './harness/workbench-ui.js';

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
    assert.ok((await readTreeRows(session.page)).includes('b2m.json'));
  });

  test('the b2m output channel exists once the extension is active', async () => {
    assert.ok((await readOutputChannels(session.page)).includes('b2m'));
  });

  test('the status bar is drawn and a screenshot is saved', async () => {
    assert.ok((await readStatusBarItems(session.page)).length > 0);
    const path = await screenshot(session.page, 'smoke-workbench');
    assert.ok(existsSync(path));
  });
});
