import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { startCodeServer, type CodeServer } from './code-server.js';
import { locateVsCodeInstall } from './install.js';
import { createScratchDir } from './scratch-dir.js';
import { openWorkbench, type Workbench } from './workbench.js';

export interface DriverArgs {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  folder: string;
}

const runTimeoutMs = Number(process.env.B2M_VSCODE_TEST_TIMEOUT_MS ?? 300_000);
/** Marks the extension host's console output of the test run; see test/extension/index.ts. */
const outputTag = '[b2m-test] ';

/**
 * Reads the command line that @vscode/test-electron's runTests() gives "the VS Code executable":
 * `--extensionDevelopmentPath=`, `--extensionTestsPath=` and a folder to open. Its other options
 * (sandbox, updates, profile folders) do not apply: every run gets a fresh profile.
 */
export function parseDriverArgs(argv: string[]): DriverArgs {
  const option = (name: string): string | undefined =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const extensionDevelopmentPath = option('extensionDevelopmentPath');
  const extensionTestsPath = option('extensionTestsPath');
  const folder = argv.find((a) => !a.startsWith('-'));
  if (!extensionDevelopmentPath || !extensionTestsPath || !folder) {
    throw new Error('usage: code-server-driver <folder> --extensionDevelopmentPath=<dir> --extensionTestsPath=<file> [other VS Code options]');
  }
  return { extensionDevelopmentPath, extensionTestsPath, folder };
}

/**
 * Runs the extension's tests inside the extension host of a code-server workbench opened in
 * headless Chromium and returns the run's exit code. The tests' console output goes to the
 * terminal; the whole workbench log goes to workbench.log in the scratch folder, which is kept
 * when the run fails.
 */
export async function runExtensionTests(args: DriverArgs): Promise<number> {
  const install = locateVsCodeInstall();
  const scratch = createScratchDir('vsc');
  const workbenchLog = createWriteStream(join(scratch.path, 'workbench.log'));
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let code = 1;
  const cleanUp = async (): Promise<void> => {
    await workbench?.close();
    await server?.stop();
    await new Promise((resolve) => workbenchLog.end(resolve));
    if (code === 0) scratch.remove();
    else console.error(`code-server driver: workbench.log, code-server.log and the profile are kept in ${scratch.path}`);
  };
  const interrupt = (): void => void cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  try {
    const started = performance.now();
    const seconds = (): string => ((performance.now() - started) / 1000).toFixed(1);
    server = await startCodeServer({ install, dir: scratch.path, env: { B2M_TEST_OUTPUT_TAG: outputTag } });
    const serverReady = seconds();
    let reportExit: (code: number) => void = () => {};
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    workbench = await openWorkbench({
      install,
      server,
      dir: scratch.path,
      folder: args.folder,
      extensionDevelopmentPath: args.extensionDevelopmentPath,
      extensionTestsPath: args.extensionTestsPath,
      onTestLog: (level, logged) => {
        const message = String(logged);
        workbenchLog.write(`[${level}] ${message}\n`);
        if (message.startsWith(outputTag)) {
          (level === 'error' ? process.stderr : process.stdout).write(`${message.slice(outputTag.length)}\n`);
        }
      },
      onTestExit: (exitCode) => reportExit(exitCode),
    });
    const workbenchLoaded = seconds();
    code = await Promise.race([exited, timeout(runTimeoutMs)]);
    console.log(`code-server driver: code-server ready after ${serverReady} s, workbench loaded after ${workbenchLoaded} s, tests done after ${seconds()} s`);
  } catch (error) {
    console.error(`code-server driver: ${(error as Error).stack ?? String(error)}`);
  } finally {
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
    await cleanUp();
  }
  return code;
}

function timeout(ms: number): Promise<number> {
  return new Promise((resolve) =>
    setTimeout(() => {
      console.error(`code-server driver: the extension test run did not finish within ${ms / 1000} s`);
      resolve(1);
    }, ms).unref(),
  );
}
