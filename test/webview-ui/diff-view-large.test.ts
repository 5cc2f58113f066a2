// 100,000 changed rows in a real Chromium: they load in chunks, the DOM stays small and
// scrolling stays smooth. Timings are printed as test diagnostics.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { diffMessages } from '../../src/extension/webview/diff-messages';
import { largeDiff } from './support/sample-diffs';
import { errorsIn, openDiffPage, sendToWebview, startHarness, type WebviewHarness } from './support/webview-harness';
import { darkTheme } from './support/vscode-themes';

const ROWS = 100_000;
const MAX_DOM_ROWS = 200;

let harness: WebviewHarness;
before(async () => {
  harness = await startHarness();
});
after(async () => harness?.close());

test('100,000 changed rows load, scroll to the last row and keep the DOM small', async (t) => {
  const page = await openDiffPage(harness, darkTheme);
  const messages = diffMessages(largeDiff(ROWS));
  assert.ok(messages.length > 10, 'the host sends a large diff in chunks');

  // Post everything, then time the first rendered row and the last chunk shown, in the page.
  await page.evaluate((all) => {
    const start = performance.now();
    const marks = window as unknown as { firstRowMs?: number; allRowsMs?: number };
    const watch = (): void => {
      const now = performance.now() - start;
      if (marks.firstRowMs === undefined && document.querySelector('.row.data') !== null) marks.firstRowMs = now;
      if (document.querySelector('.status')?.textContent === '100,000 of 100,000 changed rows') marks.allRowsMs = now;
      else requestAnimationFrame(watch);
    };
    for (const message of all) window.postMessage(message, '*');
    requestAnimationFrame(watch);
  }, messages);
  await page.waitForFunction(() => (window as unknown as { allRowsMs?: number }).allRowsMs !== undefined, undefined, { timeout: 60_000 });
  const { firstRowMs, allRowsMs } = await page.evaluate(() => window as unknown as { firstRowMs: number; allRowsMs: number });
  t.diagnostic(`first rows rendered after ${firstRowMs.toFixed(0)} ms; all ${ROWS.toLocaleString('en')} rows after ${allRowsMs.toFixed(0)} ms`);

  const domRows = () => page.locator('.row').count();
  assert.ok((await domRows()) < MAX_DOM_ROWS, `DOM rows after load: ${await domRows()}`);

  // Flick through the whole list, one big step per frame, timing the frames.
  const frames = await page.evaluate(async () => {
    const grid = document.querySelector<HTMLElement>('.grid');
    if (grid === null) throw new Error('no grid');
    const gaps: number[] = [];
    let last = performance.now();
    const step = grid.scrollHeight / 240;
    for (let i = 0; i < 240; i++) {
      grid.scrollTop += step;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }
    return gaps.sort((a, b) => a - b);
  });
  const mean = frames.reduce((sum, ms) => sum + ms, 0) / frames.length;
  const p95 = frames[Math.floor(frames.length * 0.95)] ?? NaN;
  const worst = frames[frames.length - 1] ?? NaN;
  t.diagnostic(`scroll frames (${frames.length}, ~417 rows per frame): mean ${mean.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${worst.toFixed(1)} ms`);
  assert.ok(p95 < 100, `p95 frame time ${p95.toFixed(1)} ms`);

  await page.locator('.grid').evaluate((grid) => {
    grid.scrollTop = grid.scrollHeight;
  });
  const lastRow = page.locator('.row.data', { hasText: `event-${ROWS}` });
  await lastRow.waitFor();
  assert.ok(await lastRow.isVisible());
  assert.ok((await domRows()) < MAX_DOM_ROWS, `DOM rows at the bottom: ${await domRows()}`);
  assert.equal(await page.locator('.sticky-header .column-name').first().textContent(), 'id');

  // Keyboard: End goes to the last row even though it was never focused before.
  await page.locator('.grid .row[tabindex="0"]').focus();
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.includes('event-100000')), true);

  const searchStart = Date.now();
  await page.getByRole('searchbox').fill('event-99999');
  await page.waitForFunction(() => document.querySelector('.status')?.textContent === '1 of 100,000 changed rows');
  t.diagnostic(`search over ${ROWS.toLocaleString('en')} rows answered in ${Date.now() - searchStart} ms (incl. 120 ms typing pause)`);
  assert.deepEqual(errorsIn(page), []);
  await page.close();
});
