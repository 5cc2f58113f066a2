// The diff webview in a real Chromium, in the page and CSP the real panel uses.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { diffMessages } from '../../src/extension/webview/diff-messages';
import { SCRIPT_TEXT, emptyDiff, sampleDiff } from './support/sample-diffs';
import { applyTheme, cspViolations, openDiffPage, postedMessages, sendToWebview, startHarness, type WebviewHarness } from './support/webview-harness';
import { darkTheme, highContrastTheme, lightTheme } from './support/vscode-themes';

const screenshots = new URL('../../artifacts/screenshots/', import.meta.url).pathname;

describe('diff webview', () => {
  let harness: WebviewHarness;
  before(async () => {
    harness = await startHarness();
    mkdirSync(screenshots, { recursive: true });
  });
  after(async () => harness?.close());

  async function showSample(theme = darkTheme): Promise<Page> {
    const page = await openDiffPage(harness, theme);
    await sendToWebview(page, diffMessages(sampleDiff()));
    await page.locator('.row.data').first().waitFor();
    return page;
  }

  test('shows the loading state until the diff arrives', async () => {
    const page = await openDiffPage(harness, darkTheme);
    assert.equal(await page.locator('.state.loading').textContent(), 'Loading diff…');
    assert.equal(await page.locator('#app').getAttribute('aria-busy'), 'true');
    await sendToWebview(page, diffMessages(sampleDiff()));
    await page.locator('.row.data').first().waitFor();
    assert.equal(await page.locator('.state.loading').count(), 0);
    assert.equal(await page.locator('#app').getAttribute('aria-busy'), 'false');
    await page.close();
  });

  test('renders inserted, deleted and updated rows with old → new in the changed cells', async () => {
    const page = await showSample();
    assert.equal(await page.locator('h1.title').textContent(), 'team.db v3 (alice)↔team.db (local)');
    assert.deepEqual(await page.locator('.row.heading .table-name').allTextContents(), ['users', 'notes', 'Indexes, views and triggers']);
    const users = page.locator('.row.heading').first();
    assert.equal(await users.locator('.counts').textContent(), '+2 inserted~2 updated−1 deleted1,200 unchanged');
    assert.equal(await page.locator('.row.data.insert').count(), 3);
    assert.equal(await page.locator('.row.data.delete').count(), 2);
    assert.equal(await page.locator('.row.data.update').count(), 2);

    const alice = page.locator('.row.data.update').first();
    const changed = alice.locator('.cell.changed');
    assert.equal(await changed.count(), 2);
    assert.equal(await changed.nth(0).locator('.old').textContent(), 'alice@old.example');
    assert.equal(await changed.nth(0).locator('.new').textContent(), 'alice@example.com');
    assert.equal(await changed.nth(0).getAttribute('aria-label'), 'email changed from alice@old.example to alice@example.com');
    assert.equal(await changed.nth(1).textContent(), '9.1→9.2');
    // The unchanged name cell is shown once, without highlight.
    assert.equal(await alice.locator('[role=gridcell]').nth(2).textContent(), 'alice');

    const carol = page.locator('.row.data.update').nth(1);
    assert.equal(await carol.locator('.cell.changed').nth(1).locator('.old').getAttribute('class'), 'value v-null old');
    assert.equal(await carol.locator('.cell.changed').nth(1).locator('.new').textContent(), "''");
    const highlight = await carol.locator('.cell.changed .new').first().evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.notEqual(highlight, 'rgba(0, 0, 0, 0)');
    await page.close();
  });

  test('table headings stay in view when the grid scrolls sideways', async () => {
    const page = await showSample();
    await page.setViewportSize({ width: 420, height: 600 });
    const grid = page.locator('.grid');
    const scrolled = await grid.evaluate((e) => {
      e.scrollLeft = 300;
      return e.scrollLeft;
    });
    assert.ok(scrolled > 100, `the sample is wider than the grid (scrolled ${scrolled}px)`);
    await page.waitForFunction(() => document.querySelector('.grid')!.scrollLeft > 100);
    const gridLeft = (await grid.boundingBox())!.x;
    for (const name of await page.locator('.row.heading .table-name').all()) {
      assert.ok((await name.boundingBox())!.x >= gridLeft, `${await name.textContent()} is in view`);
    }
    const firstCell = (await page.locator('.row.data').first().locator('[role=gridcell]').first().boundingBox())!;
    assert.ok(firstCell.x < gridLeft, 'the rows themselves scroll');
    await page.close();
  });

  test('shows NULL, blobs, reals, big integers and rowid keys exactly', async () => {
    const page = await showSample();
    const dave = page.locator('.row.data.insert').first();
    const cells = dave.locator('[role=gridcell]');
    assert.equal(await cells.nth(4).textContent(), '7.5');
    assert.equal(await cells.nth(5).textContent(), "x'89504e470d0a1a0a0000000d49484452'");
    const script = page.locator('.row.data.insert').nth(1).locator('[role=gridcell]');
    assert.equal(await script.nth(3).textContent(), 'NULL');
    assert.equal(await script.nth(3).locator('.value').evaluate((e) => getComputedStyle(e).fontStyle), 'italic');
    assert.equal(await script.nth(4).textContent(), '3.0');
    const longBlob = page.locator('.row.data.update').nth(1).locator('.cell.changed').nth(2);
    assert.equal(await longBlob.locator('.new').textContent(), `x'${'ab'.repeat(16)}…'`);
    assert.equal(await longBlob.getAttribute('title'), `NULL → x'${'ab'.repeat(40)}'`);
    const note = page.locator('.row.data').filter({ hasText: 'first line' }).locator('[role=gridcell]');
    assert.equal(await note.nth(1).textContent(), '9007199254740993');
    assert.equal(await note.nth(2).textContent(), 'first line↵second line');
    assert.equal(await note.nth(2).getAttribute('title'), 'first line\nsecond line');
    assert.deepEqual(await page.locator('.row.columns').nth(1).locator('.column-name').allTextContents(), ['rowid', 'body', 'rank']);
    await page.close();
  });

  test('shows schema changes and index, view and trigger changes', async () => {
    const page = await showSample();
    const schema = page.locator('.row.schema');
    assert.deepEqual(await schema.locator('.schema-label').allTextContents(), ['Column added', 'Index added: users_email']);
    assert.equal(await schema.nth(0).locator('.sql').textContent(), 'avatar BLOB');
    assert.equal(await schema.nth(1).locator('.sql').textContent(), 'CREATE INDEX users_email ON users(email)');
    await page.close();
  });

  test('a cell holding markup shows the characters and runs nothing', async () => {
    const page = await openDiffPage(harness, darkTheme);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const diff = sampleDiff();
    const users = diff.tables[0]!;
    users.table = '<script>alert(2)</script>';
    users.columns[1]!.name = '<b onmouseover=alert(3)>name</b>';
    diff.a = '<img src=y onerror=alert(4)>';
    await sendToWebview(page, diffMessages(diff));
    const cell = page.getByText(SCRIPT_TEXT, { exact: true });
    await cell.waitFor();
    assert.ok(await cell.isVisible());
    assert.equal(await page.locator('.row.heading .table-name').first().textContent(), '<script>alert(2)</script>');
    assert.ok(await page.locator('.row.heading .table-name').first().isVisible());
    assert.equal(await page.locator('h1 .side').first().textContent(), '<img src=y onerror=alert(4)>');
    await page.locator('.column-name', { hasText: '<b onmouseover' }).first().hover();
    await page.waitForTimeout(300);
    assert.equal(await page.locator('img, b, #app script').count(), 0);
    assert.deepEqual(dialogs, []);
    assert.ok(!harness.requests.some((path) => path === '/x' || path === '/y'), `unexpected requests: ${harness.requests.join(', ')}`);
    assert.deepEqual(await cspViolations(page), []);
    await page.close();
  });

  test('follows the VS Code theme variables', async () => {
    const page = await showSample(darkTheme);
    const colours = () =>
      page.evaluate(() => ({
        background: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(document.body).color,
        inserted: getComputedStyle(document.querySelector('.row.data.insert .marker')!).color,
        button: getComputedStyle(document.querySelector('#save-migration')!).backgroundColor,
      }));
    const dark = await colours();
    assert.deepEqual(dark, { background: 'rgb(31, 31, 31)', text: 'rgb(204, 204, 204)', inserted: 'rgb(129, 184, 139)', button: 'rgb(0, 120, 212)' });
    await page.screenshot({ path: `${screenshots}webview-dark.png` });

    await applyTheme(page, lightTheme);
    const light = await colours();
    assert.deepEqual(light, { background: 'rgb(255, 255, 255)', text: 'rgb(59, 59, 59)', inserted: 'rgb(88, 124, 12)', button: 'rgb(0, 95, 184)' });
    await page.screenshot({ path: `${screenshots}webview-light.png` });

    await applyTheme(page, highContrastTheme);
    const outline = await page.locator('.row.data.insert').first().evaluate((e) => getComputedStyle(e).outlineColor);
    assert.equal(outline, 'rgb(111, 195, 223)');
    await page.screenshot({ path: `${screenshots}webview-high-contrast.png` });
    await page.close();
  });

  test('Tab reaches every control and the arrow keys move the focused row', async () => {
    const page = await showSample();
    const focused = () => page.evaluate(() => document.activeElement?.id ?? '');
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    assert.deepEqual(order, ['copy-sql', 'save-migration', 'table-choice', 'search', 'item-0']);
    assert.equal(await page.locator('[role=grid]').getAttribute('aria-label'), 'Changed rows');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'item-1');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'item-3');
    assert.equal(await page.locator('#item-3').getAttribute('aria-rowindex'), '4');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), 'item-2');
    await page.keyboard.press('End');
    const last = await focused();
    assert.equal(await page.locator(`#${last}`).textContent(), 'Index added: users_emailCREATE INDEX users_email ON users(email)');
    await page.keyboard.press('Home');
    assert.equal(await focused(), 'item-0');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(), 'search');
    await page.close();
  });

  test('Copy SQL and Save as migration post their messages', async () => {
    const page = await showSample();
    await page.getByRole('button', { name: 'Copy SQL' }).click();
    await page.getByRole('button', { name: 'Save as migration' }).focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await postedMessages(page), [{ type: 'ready' }, { type: 'copySql' }, { type: 'saveAsMigration' }]);
    await page.close();
  });

  test('search and the table choice narrow the rows', async () => {
    const page = await showSample();
    const status = page.getByRole('status');
    assert.equal(await status.textContent(), '7 of 7 changed rows');
    await page.getByRole('searchbox', { name: 'Search rows by any cell' }).fill('ALICE');
    await page.waitForFunction(() => document.querySelectorAll('.row.data').length === 1);
    assert.equal(await status.textContent(), '1 of 7 changed rows');
    assert.match((await page.locator('.row.data').textContent()) ?? '', /alice@example\.com/);

    // Old values are searchable too.
    await page.getByRole('searchbox').fill('old.example');
    await page.waitForFunction(() => document.querySelector('.row.data')?.textContent?.includes('alice@old.example'));

    await page.getByRole('searchbox').fill('');
    await page.getByLabel('Table').selectOption({ label: 'notes' });
    await page.waitForFunction(() => document.querySelectorAll('.row.data').length === 2);
    assert.deepEqual(await page.locator('.row.heading .table-name').allTextContents(), ['notes']);
    assert.equal(await status.textContent(), '2 of 2 changed rows');

    await page.getByRole('searchbox').fill('nothing like this');
    await page.getByText('No matching rows').waitFor();
    assert.equal(await page.locator('.row').count(), 0);
    await page.close();
  });

  test('says "No differences" when the databases are the same', async () => {
    const page = await openDiffPage(harness, lightTheme);
    await sendToWebview(page, diffMessages(emptyDiff()));
    await page.getByText('No differences').waitFor();
    assert.equal(await page.locator('.state-detail').textContent(), 'a.db and b.db have the same schema and data.');
    assert.ok(await page.getByRole('button', { name: 'Copy SQL' }).isDisabled());
    assert.ok(await page.getByRole('button', { name: 'Save as migration' }).isDisabled());
    await page.close();
  });

  test('shows errors from the host', async () => {
    const page = await openDiffPage(harness, darkTheme);
    await sendToWebview(page, [{ type: 'error', message: 'team.db is not a SQLite database' }]);
    assert.equal(await page.getByRole('alert').textContent(), 'Could not show the diffteam.db is not a SQLite database');
    await sendToWebview(page, diffMessages(sampleDiff()));
    await page.locator('.row.data').first().waitFor();
    await sendToWebview(page, [{ type: 'error', message: 'Save as migration failed: disk full' }]);
    const banner = page.getByRole('alert');
    assert.equal(await banner.locator('.banner-text').textContent(), 'Save as migration failed: disk full');
    await banner.getByRole('button', { name: 'Dismiss message' }).click();
    assert.equal(await page.getByRole('alert').count(), 0);
    await page.close();
  });
});
