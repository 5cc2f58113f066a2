// Bundles the extension host code, the CLI and the diff webview with esbuild, and copies the
// SQLite wasm next to them. `--watch` rebuilds on change; `--production` minifies; `--metafile`
// writes what each output holds to .tmp/meta-*.json (see which modules weigh what).
//
// The extension is an ES module split into chunks: dist/extension.mjs holds only what activation
// needs, and everything reached through `import()` (command modules, the B2 client, execa, sql.js,
// the diff engine and the webview host) is a chunk in dist/extension-chunks/, loaded on first use.
// Modules shared by several chunks are chunks of their own, so each module exists once and
// `instanceof` works across them. Node's ESM has no `require`, `__dirname` or `__filename`,
// which some bundled CommonJS packages use: the banner and `define` provide them.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--out=DIR` builds elsewhere than dist/ (the package test builds a production copy there, leaving dist/ to the other tests).
const out = resolve(root, process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? 'dist');
const require = createRequire(import.meta.url);
const metafile = process.argv.includes('--metafile');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};
// The Python programs b2m runs (src/**/*.py) are bundled as strings.
const pythonAsText = { '.py': 'text' };

const targets = [
  {
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: out,
    platform: 'node',
    format: 'esm',
    splitting: true,
    chunkNames: 'extension-chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    target: 'node20',
    external: ['vscode'],
    loader: pythonAsText,
    banner: { js: "import { createRequire as __b2mCreateRequire } from 'node:module'; const require = __b2mCreateRequire(import.meta.url);" },
    define: { __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' },
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/bin.ts' },
    outdir: out,
    platform: 'node',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    loader: pythonAsText,
  },
  {
    ...common,
    entryPoints: { 'webview/diff': 'webview-ui/src/main.ts' },
    outdir: out,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
];

// Nothing stale in a package; chunk names change with their content.
if (production) rmSync(out, { recursive: true, force: true });
else rmSync(join(out, 'extension-chunks'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
copyFileSync(join(dirname(require.resolve('sql.js')), 'sql-wasm.wasm'), join(out, 'sql-wasm.wasm'));

if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
} else {
  const results = await Promise.all(targets.map((t) => esbuild.build({ ...t, metafile })));
  if (metafile) {
    mkdirSync(join(root, '.tmp'), { recursive: true });
    results.forEach((result, i) => writeFileSync(join(root, '.tmp', `meta-${Object.keys(targets[i].entryPoints)[0].replace('/', '-')}.json`), JSON.stringify(result.metafile)));
  }
}
