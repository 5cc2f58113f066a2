import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startCodeServer } from '../../support/vscode/code-server.js';
import { locateVsCodeInstall } from '../../support/vscode/install.js';
import { repoRoot } from '../../support/vscode/repo-root.js';
import { createScratchDir } from '../../support/vscode/scratch-dir.js';
import { createB2mWorkspace } from '../../support/vscode/workspace.js';
import { openWorkbench } from '../../support/vscode/workbench.js';
import { waitFor } from './wait.js';

export interface E2eSession {
  /** The workbench page in headless Chromium. */
  page: Page;
  /** The open workspace folder (holds b2m.json and the files given to startE2eSession). */
  workspace: string;
  /** Closes the browser, stops code-server and deletes the scratch folder. */
  close(): Promise<void>;
}

export interface E2eSessionOptions {
  /** Workspace files besides the default b2m.json (relative path → content). */
  files?: Record<string, string>;
  /** Environment for code-server and the extension host (e.g. B2 endpoint and keys). */
  env?: Record<string, string>;
  /** Open the workspace untrusted (Restricted Mode), as VS Code does with Workspace Trust on. */
  workspaceTrust?: boolean;
}

/**
 * Starts code-server, opens a fresh b2m workspace in Chromium with the built extension
 * (dist/, from `node scripts/build.mjs`) loaded for development, and waits until the window is
 * the Extension Development Host. close() stops everything and deletes the scratch folder.
 */
export async function startE2eSession(options: E2eSessionOptions = {}): Promise<E2eSession> {
  if (!existsSync(join(repoRoot, 'dist/extension.mjs'))) throw new Error('dist/extension.mjs is missing: run node scripts/build.mjs');
  const install = locateVsCodeInstall();
  const scratch = createScratchDir('e2e');
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer();
    scratch.remove();
  };
  try {
    const workspace = createB2mWorkspace(join(scratch.path, 'workspace'), options.files);
    const server = await startCodeServer({ install, dir: scratch.path, env: options.env, workspaceTrust: options.workspaceTrust });
    closers.push(() => server.stop());
    const workbench = await openWorkbench({ install, server, dir: scratch.path, folder: workspace, extensionDevelopmentPath: repoRoot });
    closers.push(() => workbench.close());
    await waitFor('the Extension Development Host window title', async () => (await workbench.page.title()).includes('[Extension Development Host]'));
    return { page: workbench.page, workspace, close };
  } catch (error) {
    await close();
    throw error;
  }
}
