// The conflicts view of the diff webview in a real Chromium, in the page and CSP the real panel uses.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { conflictReport } from '../../src/extension/webview/conflict-report';
import type { RebaseComparison } from '../../src/core/sync/conflicts';
import { SCRIPT_TEXT } from './support/sample-diffs';
import { hostileComparison, sampleComparison } from './support/sample-conflicts';
import { applyTheme, cspViolations, openDiffPage, postedMessages, sendToWebview, startHarness, type WebviewHarness } from './support/webview-harness';
import { darkTheme, highContrastTheme, lightTheme } from './support/vscode-themes';

const screenshots = new URL('../../artifacts/screenshots/', import.meta.url).pathname;

describe('conflicts view', () => {
  let harness: WebviewHarness;
  before(async () => {
    harness = await startHarness();
    mkdirSync(screenshots, { recursive: true });
  });
  after(async () => harness?.close());

  async function showConflicts(comparison: RebaseComparison = sampleComparison(), theme = darkTheme): Promise<Page> {
    const page = await openDiffPage(harness, theme, { width: 1100, height: 900 });
    await sendToWebview(page, [{ type: 'showConflicts', report: conflictReport(comparison) }]);
    await page.locator('.conflict').first().waitFor();
    return page;
  }

  /** The text of each row of one conflict's table: side name, then the cells. */
  async function sides(page: Page, conflict: number): Promise<string[][]> {
    return page.locator('.conflict').nth(conflict).locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent ?? '')));
  }

  test('says what happened and that publishing anyway applies your migrations on top of theirs', async () => {
    const page = await showConflicts();
    assert.equal(await page.locator('.conflicts h1').textContent(), 'Conflicts: team.db');
    const explained = await page.locator('.explain').allTextContents();
    assert.match(explained[0]!, /^team\.db changed remotely since v3 \(v4–v5 by carol, bob\) in the same places as your migrations: 5 conflicts\. Nothing was published\.$/);
    assert.match(explained[1]!, /Your migrations are replayed on the newest version \(v5\), so “Publish anyway” applies yours on top of theirs/);
    assert.deepEqual(await page.getByRole('button').allTextContents(), ['Publish anyway', 'Open my migration', 'Cancel']);
    await page.close();
  });

  test('shows the ancestor, theirs and yours of each conflicting row, the differing cells marked', async () => {
    const page = await showConflicts();
    assert.deepEqual(await page.locator('.conflict').first().locator('thead th').allTextContents(), ['Side', 'name', 'email']);
    assert.deepEqual(await sides(page, 0), [
      ['Ancestor · v3', 'ann', 'NULL'],
      ['Theirs · v4–v5 by carol, bob', 'Ann B', 'ann@b.example'],
      ['Yours · rename_ann', 'Ann A', 'ann@a.example'],
    ]);
    assert.equal(await page.locator('.conflict').first().locator('.conflict-heading').textContent(), 'usersid = 1both changed it');
    const marks = await page.locator('.conflict').first().locator('tbody td').evaluateAll((cells) => cells.map((c) => c.className));
    assert.deepEqual(marks, ['mark-same', 'mark-same', 'mark-conflict', 'mark-conflict', 'mark-conflict', 'mark-conflict']);
    const conflictCell = page.locator('.conflict').first().locator('td.mark-conflict').first();
    assert.equal(await conflictCell.getAttribute('aria-label'), 'name: Ann B, changed on both sides differently');
    assert.notEqual(await conflictCell.evaluate((e) => getComputedStyle(e).backgroundColor), 'rgba(0, 0, 0, 0)');

    assert.deepEqual(await sides(page, 1), [
      ['Ancestor · v3', '2', 'bob', 'NULL'],
      ['Theirs · v4–v5 by carol, bob', 'deleted'],
      ['Yours · rename_ann', '2', 'Bob', 'NULL'],
    ]);
    assert.deepEqual(await page.locator('.conflict').nth(1).locator('tbody tr.yours td').evaluateAll((cells) => cells.map((c) => c.className)), ['mark-same', 'mark-changed', 'mark-same']);
    assert.deepEqual(await sides(page, 3), [
      ['Ancestor · v3', 'no such row'],
      ['Theirs · v4–v5 by carol, bob', '9', '5'],
      ['Yours · rename_ann', '9', '6'],
    ]);
    assert.deepEqual(await sides(page, 4), [
      ['Theirs · v4–v5 by carol, bob', 'Column added: colour TEXT'],
      ['Yours · rename_ann', 'Column added: weight INTEGER'],
    ]);
    await page.close();
  });

  test('summarises what each side changed besides', async () => {
    const page = await showConflicts();
    const summaries = page.locator('.change-summary');
    assert.deepEqual(await summaries.locator('h3').allTextContents(), ['Theirs · v4–v5 by carol, bob', 'Yours · rename_ann: 20261201120000000000000_rename_ann.py']);
    assert.deepEqual(await summaries.first().locator('li').allTextContents(), ['users+1~2−1', 'tags+0~0−0Column added: colour TEXT']);
    assert.deepEqual(await summaries.nth(1).locator('li').allTextContents(), ['users+0~2−0', 'Index added: users_name: CREATE INDEX users_name ON users(name)']);
    assert.equal(await page.locator('.merged').textContent(), '3 rows changed on both sides merge without conflict.');
    await page.close();
  });

  test('the buttons post their messages; "Publish anyway" waits, and a failure makes them work again', async () => {
    const page = await showConflicts();
    await page.getByRole('button', { name: 'Open my migration' }).click();
    await page.getByRole('button', { name: 'Publish anyway' }).click();
    assert.equal(await page.getByRole('status').textContent(), 'Publishing your migrations on top of theirs…');
    assert.ok(await page.getByRole('button', { name: 'Cancel' }).isDisabled(), 'no second click while publishing');
    await sendToWebview(page, [{ type: 'error', message: 'Syncing team.db failed: the bucket is gone' }]);
    assert.equal(await page.getByRole('alert').locator('.banner-text').textContent(), 'Syncing team.db failed: the bucket is gone');
    assert.ok(await page.getByRole('button', { name: 'Cancel' }).isEnabled());
    await page.getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual(await postedMessages(page), [{ type: 'ready' }, { type: 'openMigration' }, { type: 'publishAnyway' }, { type: 'cancel' }]);
    await page.close();
  });

  test('shown again while its publish runs (the panel was hidden meanwhile), it says so and the buttons wait', async () => {
    const page = await openDiffPage(harness, darkTheme, { width: 1100, height: 900 });
    await sendToWebview(page, [{ type: 'showConflicts', report: conflictReport(sampleComparison()), publishing: true }]);
    await page.locator('.conflict').first().waitFor();
    assert.equal(await page.getByRole('status').textContent(), 'Publishing your migrations on top of theirs…');
    for (const name of ['Publish anyway', 'Open my migration', 'Cancel']) assert.ok(await page.getByRole('button', { name }).isDisabled(), name);
    await page.close();
  });

  test('Tab reaches the buttons and the scrollable list; arrow keys scroll it', async () => {
    const page = await showConflicts(sampleComparison(), darkTheme);
    await page.setViewportSize({ width: 900, height: 420 });
    const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.className || '');
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    assert.deepEqual(order, ['publish-anyway', 'open-migration', 'cancel', 'conflicts-body']);
    const body = page.locator('.conflicts-body');
    assert.equal(await body.evaluate((e) => e.scrollTop), 0);
    await page.keyboard.press('PageDown');
    await page.waitForFunction(() => document.querySelector('.conflicts-body')!.scrollTop > 0);
    await page.close();
  });

  test('names and values with markup show as text and run nothing', async () => {
    const page = await showConflicts(hostileComparison());
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    assert.equal(await page.locator('.conflict .table-name').textContent(), '<script>alert(2)</script>');
    assert.equal(await page.locator('.conflict thead th').nth(1).textContent(), '<img src=y onerror=alert(4)>');
    assert.equal(await page.locator('.conflict tbody tr.theirs td').textContent(), SCRIPT_TEXT);
    assert.equal(await page.locator('.conflict-key').textContent(), `<b>id</b> = ${SCRIPT_TEXT}`);
    await page.locator('.conflict tbody tr.theirs td').hover();
    await page.waitForTimeout(300);
    assert.equal(await page.locator('img, b, i, #app script').count(), 0);
    assert.deepEqual(dialogs, []);
    assert.ok(!harness.requests.some((path) => path === '/x' || path === '/y'), `unexpected requests: ${harness.requests.join(', ')}`);
    assert.deepEqual(await cspViolations(page), []);
    await page.close();
  });

  test('follows the VS Code themes', async () => {
    const page = await showConflicts(sampleComparison(), darkTheme);
    const colours = () =>
      page.evaluate(() => ({
        background: getComputedStyle(document.body).backgroundColor,
        publish: getComputedStyle(document.querySelector('#publish-anyway')!).backgroundColor,
        changed: getComputedStyle(document.querySelector('td.mark-changed')!).backgroundColor,
      }));
    assert.deepEqual(await colours(), { background: 'rgb(31, 31, 31)', publish: 'rgb(0, 120, 212)', changed: 'rgba(156, 204, 44, 0.2)' });
    await page.screenshot({ path: `${screenshots}conflicts-dark.png` });
    await applyTheme(page, lightTheme);
    assert.equal((await colours()).background, 'rgb(255, 255, 255)');
    await page.screenshot({ path: `${screenshots}conflicts-light.png` });
    await applyTheme(page, highContrastTheme);
    assert.equal(await page.locator('td.mark-conflict').first().evaluate((e) => getComputedStyle(e).outlineStyle), 'dashed');
    await page.screenshot({ path: `${screenshots}conflicts-high-contrast.png` });
    await page.close();
  });
});
