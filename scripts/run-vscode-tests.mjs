// Runs the tests that need a real VS Code: the integration suite inside the extension host
// (through @vscode/test-electron's runTests, with code-server standing in for VS Code) and the
// end-to-end tests that drive the workbench in Chromium. Installs what they need first.
//   node scripts/run-vscode-tests.mjs [--only=integration|e2e] [--grep=<mocha pattern>] [e2e file filter...]
// --grep selects integration tests by title; other arguments select e2e files by substring.
// Exits non-zero if any part fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runTests } from '@vscode/test-electron';
import { register } from 'tsx/esm/api';

register();
const { createScratchDir } = await import('../test/support/vscode/scratch-dir.ts');
const { createB2mWorkspace } = await import('../test/support/vscode/workspace.ts');

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const grep = process.argv.find((a) => a.startsWith('--grep='))?.slice('--grep='.length);
const e2eFilters = process.argv.slice(2).filter((a) => !a.startsWith('-'));

// Everything the tools below put in the temp folder (tsx cache, Playwright artifacts) stays in the checkout.
process.env.TMPDIR = join(root, '.tmp', 'tmp');
mkdirSync(process.env.TMPDIR, { recursive: true });

const timings = [];
const results = [];
let activationTime = 'not reported';

function section(title) {
  console.log(`\n${'='.repeat(78)}\n== ${title}\n${'='.repeat(78)}`);
}

async function timed(label, fn) {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    timings.push([label, (performance.now() - start) / 1000]);
  }
}

/** A stream that copies to stdout and calls onMatch with each match of pattern in a chunk. */
function echoAndWatch(pattern, onMatch) {
  return new Writable({
    write(chunk, _encoding, done) {
      process.stdout.write(chunk);
      const match = pattern.exec(chunk.toString());
      if (match) onMatch(match);
      done();
    },
  });
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

section('Install code-server, Node 24 and Chromium (cached)');
await timed('install', () => run(join(root, 'scripts/install-code-server.sh'), []));

section('Build the extension and the extension-host test bundle');
await timed('build', () => {
  run(process.execPath, ['scripts/build.mjs']);
  run(process.execPath, ['scripts/build-extension-tests.mjs']);
});

if (only === undefined || only === 'integration') {
  section('Integration tests in the extension host (mocha, code-server + Chromium)');
  const workspace = createScratchDir('ws');
  const passed = await timed('integration tests', async () => {
    try {
      await runTests({
        vscodeExecutablePath: join(root, 'scripts/code-server-driver.mjs'),
        extensionDevelopmentPath: root,
        extensionTestsPath: join(root, 'dist-test/extension/index.cjs'),
        launchArgs: [createB2mWorkspace(workspace.path)],
        extensionTestsEnv: grep ? { B2M_TEST_GREP: grep } : {},
        stdout: echoAndWatch(/^b2m activation time: (.*)$/m, (match) => (activationTime = match[1])),
      });
      return true;
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      return false;
    } finally {
      workspace.remove();
    }
  });
  results.push(['integration tests', passed]);
}

if (only === undefined || only === 'e2e') {
  section('End-to-end tests (Playwright, code-server + Chromium)');
  const files = readdirSync(join(root, 'test/e2e'))
    .filter((name) => name.endsWith('.test.ts'))
    .filter((name) => e2eFilters.length === 0 || e2eFilters.some((filter) => name.includes(filter)))
    .sort()
    .map((name) => `test/e2e/${name}`);
  const passed = await timed('end-to-end tests', () => {
    if (files.length === 0) {
      console.error(`No test/e2e/*.test.ts file matches ${e2eFilters.join(', ')}.`);
      return false;
    }
    // One file at a time: each runs its own code-server and Chromium.
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', '--test-timeout=300000', ...files], {
      cwd: root,
      stdio: 'inherit',
    });
    return result.status === 0;
  });
  results.push(['end-to-end tests', passed]);
}

section('Summary');
for (const [label, seconds] of timings) console.log(`${label.padEnd(20)} ${seconds.toFixed(1).padStart(6)} s`);
if (only !== 'e2e') console.log(`${'b2m activation'.padEnd(20)} ${activationTime}`);
for (const [label, passed] of results) console.log(`${label.padEnd(20)} ${passed ? 'passed' : 'FAILED'}`);
process.exit(results.every(([, passed]) => passed) ? 0 : 1);
