// Bundles the extension-host integration tests: test/extension/index.ts and every
// test/extension/*.test.ts into dist-test/extension/*.cjs (CommonJS, as the package is ESM), for
// Node 20 so the same bundle runs in code-server's (Node 24) and desktop VS Code's (Node 22)
// extension hosts.
import * as esbuild from 'esbuild';
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const testDir = join(root, 'test/extension');
const outdir = join(root, 'dist-test/extension');

const entryPoints = readdirSync(testDir)
  .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
  .map((name) => join(testDir, name));

rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
  // The tests drive the engine too, which bundles the Python programs it runs as strings.
  loader: { '.py': 'text' },
  // mocha loads reporters and test files with require(), so it stays a real package.
  external: ['vscode', 'mocha'],
});
// Their engine (a teammate's sync diffs and lints) loads SQLite's wasm from beside the bundle.
copyFileSync(join(dirname(createRequire(import.meta.url).resolve('sql.js')), 'sql-wasm.wasm'), join(outdir, 'sql-wasm.wasm'));
