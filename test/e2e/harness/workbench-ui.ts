// What a person sees and does in the VS Code workbench, as Playwright steps. Selectors are the
// workbench's own class names (VS Code 1.139 in code-server).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { repoRoot } from '../../support/vscode/repo-root.js';
import { waitFor } from './wait.js';

export const screenshotDir = join(repoRoot, 'artifacts', 'screenshots');

/** Saves a screenshot of the whole window as artifacts/screenshots/e2e-<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `e2e-${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Runs a command from the command palette: F1, type its label, Enter once the highlighted entry
 * is that command. Commands that open their own picker leave it open. Some commands are only
 * registered a while after the window opened, so the palette is reopened until the command shows.
 */
export async function runCommand(page: Page, label: string): Promise<void> {
  await waitFor(`"${label}" in the command palette`, () => paletteHighlights(page, label), 60_000);
  await page.keyboard.press('Enter');
}

async function paletteHighlights(page: Page, label: string): Promise<boolean> {
  const widget = page.locator('.quick-input-widget');
  await page.keyboard.press('F1');
  await widget.locator('input.input').fill(`>${label}`);
  try {
    await waitFor('the palette to filter', async () => (await textOf(widget.locator('.monaco-list-row.focused'))).some((text) => text.startsWith(label)), 3_000);
    return true;
  } catch {
    await page.keyboard.press('Escape');
    return false;
  }
}

/** Opens a workspace file in an editor through Quick Open (Ctrl+P), by its name. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const widget = page.locator('.quick-input-widget');
  await widget.locator('input.input').fill(name);
  await waitFor(`${name} in Quick Open`, async () => (await textOf(widget.locator('.monaco-list-row.focused'))).some((text) => text.includes(name)), 30_000);
  await page.keyboard.press('Enter');
  await waitFor(`${name} in an editor tab`, async () => (await page.locator('.tab', { hasText: name }).count()) > 0);
}

/** The entries of the open quick pick (command palette or a picker a command opened). */
export async function readQuickPickItems(page: Page): Promise<string[]> {
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await rows.first().waitFor();
  return textOf(rows);
}

/** Opens a view container of the activity bar (e.g. "Explorer" or the extension's) by its title. */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const item = page.locator(`.activitybar .action-item:has(a[aria-label^="${title}"])`);
  await item.waitFor();
  // Clicking the active container would close the side bar.
  if (!(await item.evaluate((element) => element.classList.contains('checked')))) await item.click();
  const heading = page.locator('.part.sidebar .composite.title h2');
  await waitFor(`side bar titled "${title}"`, async () =>
    (await textOf(heading)).some((text) => text.toLowerCase().startsWith(title.toLowerCase())),
  );
}

/** The visible text of each row of the lists and trees in `scope` (default: the side bar). */
export async function readTreeRows(page: Page, scope: Locator = page.locator('.part.sidebar')): Promise<string[]> {
  return textOf(scope.locator('.monaco-list-row'));
}

/** The text of each status bar item that shows any. */
export async function readStatusBarItems(page: Page): Promise<string[]> {
  return (await textOf(page.locator('.statusbar-item'))).filter((text) => text !== '');
}

/**
 * The messages of all notifications. Toasts are not drawn while the smoke-test driver is on, so
 * this opens the notifications center (and leaves it open).
 */
export async function readNotifications(page: Page): Promise<string[]> {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible())) await runCommand(page, 'Notifications: Show Notifications');
  await center.waitFor();
  return textOf(center.locator('.notification-list-item-message'));
}

/** The names of all output channels, read from the "Output: Show Output Channels..." picker. */
export async function readOutputChannels(page: Page): Promise<string[]> {
  await runCommand(page, 'Output: Show Output Channels...');
  const items = await readQuickPickItems(page);
  await page.keyboard.press('Escape');
  return items;
}

/** The content of the frontmost webview (e.g. the diff view), to query like a page. */
export function webviewFrame(page: Page): FrameLocator {
  return page.locator('iframe.webview').last().contentFrame().locator('iframe#active-frame').contentFrame();
}

/** Visible text of every match, whitespace collapsed (labels, descriptions and badges in one string). */
async function textOf(locator: Locator): Promise<string[]> {
  return (await locator.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}
