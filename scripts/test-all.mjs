// The one test command (npm test): type-check, lint, build, every test suite, the package check.
// Each step's own output streams through; the last line sums up all tests: "N passed, N failed".
import { spawn } from 'node:child_process';

const steps = [
  { name: 'type-check', command: ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit'] },
  { name: 'lint', command: ['npx', 'eslint', '--max-warnings=0', '.'] },
  { name: 'build', command: ['node', 'scripts/build.mjs'] },
  { name: 'unit and integration tests (Node)', command: ['node', 'scripts/run-unit-tests.mjs'] },
  {
    name: 'Python tests (helper and migration harness)',
    command: ['python3', '-m', 'unittest', 'discover', '-s', 'test/python', '-v'],
    env: { PYTHONDONTWRITEBYTECODE: '1' },
  },
  { name: 'VS Code extension-host and end-to-end tests', command: ['node', 'scripts/run-vscode-tests.mjs'] },
];

/**
 * Counts from the runners' own summaries: node:test ("ℹ pass 3"), mocha ("3 passing") and
 * unittest ("Ran 5 tests" then "OK" or "FAILED (failures=1, errors=1)", with "skipped=N",
 * "expected failures=N" (they pass) and "unexpected successes=N" (they fail) among them).
 */
function countResults(text) {
  let passed = 0;
  let failed = 0;
  for (const m of text.matchAll(/^Ran (\d+) tests? in [^\n]*\n+(?:OK|FAILED)(?: \(([^)]*)\))?/gm)) {
    const outcome = Object.fromEntries([...(m[2] ?? '').matchAll(/(?:^|, )([\w ]+)=(\d+)/g)].map(([, key, count]) => [key, Number(count)]));
    const notPassed = (outcome.failures ?? 0) + (outcome.errors ?? 0) + (outcome['unexpected successes'] ?? 0);
    passed += Number(m[1]) - notPassed - (outcome.skipped ?? 0);
    failed += notPassed;
  }
  for (const m of text.matchAll(/^\S*\s*ℹ pass (\d+)$/gm)) passed += Number(m[1]);
  for (const m of text.matchAll(/^\S*\s*ℹ fail (\d+)$/gm)) failed += Number(m[1]);
  for (const m of text.matchAll(/^\s*(\d+) passing\b/gm)) passed += Number(m[1]);
  for (const m of text.matchAll(/^\s*(\d+) failing\b/gm)) failed += Number(m[1]);
  return { passed, failed };
}

function run(step) {
  return new Promise((resolve) => {
    const child = spawn(step.command[0], step.command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...step.env } });
    let text = '';
    const tee = (stream, target) =>
      stream.on('data', (chunk) => {
        target.write(chunk);
        text += chunk.toString();
      });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    // A command that cannot start (not installed) fails its step; the summary line still comes.
    child.on('error', (error) => {
      process.stderr.write(`${step.command[0]}: ${error.message}\n`);
      resolve({ code: 127, text });
    });
    child.on('close', (code) => resolve({ code: code ?? 1, text }));
  });
}

let passed = 0;
let failed = 0;
const failedSteps = [];
const started = Date.now();
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`);
  const t0 = Date.now();
  const { code, text } = await run(step);
  const counts = countResults(text);
  passed += counts.passed;
  failed += counts.failed;
  if (code !== 0) {
    failedSteps.push(step.name);
    if (counts.failed === 0) failed += 1; // a step that failed without a failing test (type error, crash) still counts
  }
  console.log(`=== ${step.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s ===`);
}
console.log(`\nAll steps took ${((Date.now() - started) / 1000).toFixed(0)} s.${failedSteps.length ? ` Failed: ${failedSteps.join(', ')}.` : ''}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length === 0 ? 0 : 1);
