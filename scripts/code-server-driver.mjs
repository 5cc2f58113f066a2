#!/usr/bin/env node
// Stands in for the VS Code executable in @vscode/test-electron's runTests({ vscodeExecutablePath }):
// no desktop VS Code can be downloaded here, so this runs the extension tests in code-server's
// workbench in headless Chromium instead, and exits with the test run's exit code.
import { tsImport } from 'tsx/esm/api';

const { parseDriverArgs, runExtensionTests } = await tsImport('../test/support/vscode/extension-test-driver.ts', import.meta.url);
process.exit(await runExtensionTests(parseDriverArgs(process.argv.slice(2))));
