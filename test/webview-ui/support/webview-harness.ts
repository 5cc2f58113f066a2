// Test scaffolding standing in for VS Code's webview host: bundles the real webview code, serves
// it in the page the real panel builds (same HTML, same CSP) from 127.0.0.1, and drives it in
// Debian's Chromium. Only `acquireVsCodeApi` and the theme variables are provided by the test.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildDiffHtml } from '../../../src/extension/webview/diff-html';
import type { HostMessage, WebviewMessage } from '../../../webview-ui/src/protocol';
import type { WebviewTheme } from './vscode-themes';

const root = new URL('../../../', import.meta.url).pathname;

export interface WebviewHarness {
  browser: Browser;
  origin: string;
  /** Paths the page asked the server for, in order. */
  requests: string[];
  close(): Promise<void>;
}

interface PageGlobals {
  __posted: WebviewMessage[];
  __cspViolations: string[];
}

/** Bundles webview-ui/src/main.ts exactly as scripts/build.mjs does, in memory. */
async function bundleWebview(): Promise<{ js: string; css: string }> {
  const output = await bundle('webview-ui/src/main.ts');
  return { js: output('js'), css: output('css') };
}

/** Returns the bundle's output file with the given extension. */
async function bundle(entry: string, globalName?: string): Promise<(ext: string) => string> {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { bundle: entry },
    outdir: 'out',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
    write: false,
    logLevel: 'silent',
    ...(globalName === undefined ? {} : { globalName }),
  });
  const output = (ext: string): string => {
    const file = result.outputFiles.find((f) => f.path.endsWith(`bundle.${ext}`));
    if (file === undefined) throw new Error(`esbuild produced no ${ext} for ${entry}`);
    return file.text;
  };
  return output;
}

export async function startHarness(): Promise<WebviewHarness> {
  const webview = await bundleWebview();
  const requests: string[] = [];
  let origin = '';
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    const send = (type: string, body: string): void => {
      response.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (path === '/') {
      send('text/html', buildDiffHtml({ cspSource: origin, nonce: randomBytes(16).toString('base64'), scriptUri: `${origin}/diff.js`, styleUri: `${origin}/diff.css` }));
    } else if (path === '/diff.js') send('text/javascript', webview.js);
    else if (path === '/diff.css') send('text/css', webview.css);
    else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  return {
    browser,
    origin,
    requests,
    close: async () => {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// A string, not a function: tsx's transpiled functions may call helpers the page does not have.
const fakeVsCodeApi = `
  window.__posted = [];
  window.__cspViolations = [];
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may only be called once');
    acquired = true;
    return { postMessage: (message) => { window.__posted.push(message); }, getState: () => undefined, setState: () => undefined };
  };
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
  });
`;

// tsx compiles the tests with esbuild's keepNames, so functions the tests hand to page.evaluate
// may call esbuild's `__name` helper; the page needs it too.
const keepNamesHelper = 'globalThis.__name = (target) => target;';

const pageErrors = new WeakMap<Page, string[]>();

/** Uncaught errors thrown in the page so far. */
export function errorsIn(page: Page): string[] {
  return pageErrors.get(page) ?? [];
}

/** Opens the diff page with a fake VS Code API that records what the webview posts. */
export async function openDiffPage(harness: WebviewHarness, theme: WebviewTheme, viewport = { width: 1200, height: 720 }): Promise<Page> {
  const page = await harness.browser.newPage({ viewport });
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(keepNamesHelper);
  await page.addInitScript(fakeVsCodeApi);
  await page.goto(harness.origin);
  await applyTheme(page, theme);
  await page.waitForFunction(() => (window as unknown as PageGlobals).__posted.some((m) => m.type === 'ready'), undefined, { timeout: 10_000 });
  return page;
}

/** Sets the theme the way VS Code does: variables on <html>, a class on <body>. */
export async function applyTheme(page: Page, theme: WebviewTheme): Promise<void> {
  await page.evaluate((t) => {
    const style = document.documentElement.style;
    for (let i = style.length - 1; i >= 0; i--) {
      const name = style.item(i);
      if (name.startsWith('--vscode-')) style.removeProperty(name);
    }
    for (const [name, value] of Object.entries(t.variables)) style.setProperty(name, value);
    document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
    document.body.classList.add(t.bodyClass);
  }, theme);
}

// As one JSON string: Playwright's structured argument passing takes minutes for 100,000 rows.
export async function sendToWebview(page: Page, messages: HostMessage[]): Promise<void> {
  await page.evaluate((json) => {
    for (const message of JSON.parse(json) as unknown[]) window.postMessage(message, '*');
  }, JSON.stringify(messages));
}

/**
 * Defines `window.b2mFixtures` (support/in-page-fixtures.ts) in the page. Evaluated through the
 * driver, like the rest of the test's page code, so the page's CSP stays as strict as the panel's.
 */
export async function loadInPageFixtures(page: Page): Promise<void> {
  const code = (await bundle('test/webview-ui/support/in-page-fixtures.ts', 'b2mFixtures'))('js');
  await page.evaluate(`${code}\nwindow.b2mFixtures = b2mFixtures;`);
}

export async function postedMessages(page: Page): Promise<WebviewMessage[]> {
  return page.evaluate(() => (window as unknown as PageGlobals).__posted);
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as PageGlobals).__cspViolations);
}
