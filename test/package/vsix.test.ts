import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

test('vsce package produces a .vsix holding only what runs', () => {
  const out = mkdtempSync(join(tmpdir(), 'b2m-vsix-'));
  // A copy of what the package is made of, built for production there: the dist/ other tests run stays as it is.
  const pkg = join(out, 'package');
  try {
    mkdirSync(pkg);
    for (const name of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'media']) cpSync(join(root, name), join(pkg, name), { recursive: true });
    execFileSync(process.execPath, ['scripts/build.mjs', '--production', `--out=${join(pkg, 'dist')}`], { cwd: root, stdio: 'pipe' });
    const vsix = join(out, 'b2m.vsix');
    execFileSync(join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: pkg, stdio: 'pipe' });
    const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const files = listing.filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
    for (const required of ['package.json', 'dist/extension.mjs', 'dist/cli.cjs', 'dist/sql-wasm.wasm', 'dist/webview/diff.js']) {
      assert.ok(files.includes(required), `${required} is in the package`);
    }
    assert.ok(files.some((f) => /^dist\/extension-chunks\/.+\.mjs$/.test(f)), 'the chunks the extension loads on first use are in the package');
    const unwanted = files.filter((f) => /^(src|test|webview-ui|scripts|bench|node_modules|\.ci)\//.test(f) || f.endsWith('.ts') || f.endsWith('.map'));
    assert.deepEqual(unwanted, [], 'no sources, tests, maps or dependencies in the package');
    const size = statSync(vsix).size;
    console.log(`vsix: ${files.length} files, ${(size / 1024).toFixed(0)} KB`);
    assert.ok(size < 5 * 1024 * 1024, `the package stays small (${size} bytes)`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
