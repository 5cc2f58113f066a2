import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { VsCodeInstall } from './install.js';

export interface CodeServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  host: string;
  port: number;
  /** Where code-server's own output goes. */
  logFile: string;
  /** Stops code-server and everything it started. */
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  install: VsCodeInstall;
  /** Scratch folder for config, home, temp files and (by default) profile and extensions. */
  dir: string;
  userDataDir?: string;
  extensionsDir?: string;
  /** Extra environment for code-server and the extension host it starts. */
  env?: Record<string, string>;
  /**
   * Asks for Workspace Trust as VS Code does by default (off here unless set: folders open
   * trusted). Folders then open untrusted, in Restricted Mode, without the start-up prompt.
   */
  workspaceTrust?: boolean;
}

/**
 * Keeps first-start tours, AI panels, update checks and telemetry out of the tests' way, and Git
 * from offering the checkout that holds the scratch workspaces.
 */
const quietSettings = {
  'git.openRepositoryInParentFolders': 'never',
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
};

const healthTimeoutMs = 30_000;
const stopTimeoutMs = 5_000;

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const host = '127.0.0.1';
  const port = await findFreePort(host);
  const userDataDir = options.userDataDir ?? join(options.dir, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(options.dir, 'extensions');
  const home = join(options.dir, 'home');
  const tmp = join(options.dir, 'tmp');
  for (const dir of [userDataDir, extensionsDir, home, tmp, join(userDataDir, 'User')]) mkdirSync(dir, { recursive: true });
  const settings = options.workspaceTrust ? { ...quietSettings, 'security.workspace.trust.startupPrompt': 'never' } : quietSettings;
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const config = join(options.dir, 'config.yaml');
  writeFileSync(config, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);

  const logFile = join(options.dir, 'code-server.log');
  const log = createWriteStream(logFile);
  const child = spawn(
    options.install.codeServer,
    [
      '--bind-addr', `${host}:${port}`,
      '--auth', 'none',
      '--config', config,
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--vscode-option', 'enable-smoke-test-driver',
    ],
    {
      cwd: options.dir,
      env: { ...codeServerEnv(options.install, home, tmp), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group, so stop() also reaches the extension host and other children.
      detached: true,
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = `http://${host}:${port}`;
  const stop = async (): Promise<void> => {
    await killGroup(child, exited);
    await new Promise((resolve) => log.end(resolve));
  };
  try {
    await waitUntilHealthy(url, exited);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- ${logFile} ---\n${readFileSync(logFile, 'utf8')}`, { cause: error });
  }
  return { url, host, port, logFile, stop };
}

/**
 * Node 24 first on PATH; HOME, XDG folders and TMPDIR inside the scratch folder so nothing is
 * written outside the checkout; no variables that would make code-server or its Node act as part
 * of some other VS Code or load a test loader.
 */
function codeServerEnv(install: VsCodeInstall, home: string, tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${install.node24Bin}:${process.env.PATH ?? ''}`,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local/share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local/state'),
    TMPDIR: tmp,
  };
  for (const name of Object.keys(env)) {
    if (name.startsWith('VSCODE_') || name === 'ELECTRON_RUN_AS_NODE' || name === 'NODE_OPTIONS') delete env[name];
  }
  return env;
}

function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilHealthy(url: string, exited: Promise<void>): Promise<void> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + healthTimeoutMs;
  while (Date.now() < deadline) {
    if (hasExited) throw new Error('code-server exited before it became healthy');
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${healthTimeoutMs / 1000} s`);
}

async function killGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), stopTimeoutMs).unref()),
  ]);
  // Children that outlive code-server itself (or a code-server ignoring SIGTERM) are killed hard.
  signalGroup('SIGKILL');
  if (timedOut) await exited;
}
