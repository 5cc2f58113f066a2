import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { CodeServer } from './code-server.js';
import type { VsCodeInstall } from './install.js';

export interface WorkbenchOptions {
  install: VsCodeInstall;
  server: CodeServer;
  /** Scratch folder for the browser profile and home. */
  dir: string;
  /** Workspace folder to open (absolute). */
  folder: string;
  /** Extension under development (absolute), loaded as in "Run Extension". */
  extensionDevelopmentPath: string;
  /** Compiled test entry (absolute) to run inside the extension host, as in "Extension Tests". */
  extensionTestsPath?: string;
  /** Receives the workbench's log lines during an extension test run. */
  onTestLog?: (level: string, message: unknown) => void;
  /** Receives the exit code of the extension test run. */
  onTestExit?: (code: number) => void;
}

export interface Workbench {
  page: Page;
  close(): Promise<void>;
}

/** Generous: a busy 2-core CI machine can take a while to load the workbench. */
const loadTimeoutMs = 120_000;

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Opens the VS Code workbench of `server` in headless Chromium, with the extension under development loaded. */
export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const home = join(options.dir, 'browser-home');
  mkdirSync(home, { recursive: true });
  const context: BrowserContext = await chromium.launchPersistentContext(join(options.dir, 'browser-profile'), {
    executablePath: options.install.chromium,
    headless: true,
    args: chromiumArgs,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
    viewport: { width: 1600, height: 1000 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    // The workbench calls these when it runs with the smoke-test driver and an extension test run.
    await page.exposeFunction('codeAutomationLog', (level: string, message: unknown) => options.onTestLog?.(level, message));
    await page.exposeFunction('codeAutomationExit', (code: number) => options.onTestExit?.(code));
    await page.goto(workbenchUrl(options), { waitUntil: 'domcontentloaded', timeout: loadTimeoutMs });
    await page.locator('.monaco-workbench').waitFor({ timeout: loadTimeoutMs });
    return { page, close: () => context.close() };
  } catch (error) {
    await context.close();
    throw error;
  }
}

function workbenchUrl(options: WorkbenchOptions): string {
  const remote = (path: string): string => `vscode-remote://${options.server.host}:${options.server.port}${path}`;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]];
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  const query = new URLSearchParams({ folder: options.folder, payload: JSON.stringify(payload) });
  return `${options.server.url}/?${query.toString()}`;
}
