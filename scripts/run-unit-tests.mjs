// Runs the plain Node tests (everything under test/ except the VS Code suites) with Node's own
// test runner, TypeScript loaded through tsx. Extra arguments filter files by substring.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const excluded = ['test/extension/', 'test/e2e/'];
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('-'));

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = walk(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => !excluded.some((e) => f.startsWith(e)))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

// Suites that run the bundled CLI or package the extension need a fresh build first.
if (files.some((f) => /^test\/(cli|package)\//.test(f))) {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--import', './scripts/py-text-loader.mjs', '--test', '--test-reporter=spec', '--test-concurrency=2', ...passThrough, ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
