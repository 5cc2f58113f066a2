import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, unknown>; imports: { path: string; kind: string; external?: boolean }[] }>;
}

/** What loading dist/extension.mjs loads before activate() runs: it and the chunks it imports statically. */
function activationOutputs(meta: Metafile): string[] {
  const loaded = new Set<string>();
  const queue = ['dist/extension.mjs'];
  for (let output = queue.pop(); output !== undefined; output = queue.pop()) {
    if (loaded.has(output)) continue;
    loaded.add(output);
    const imports = meta.outputs[output]?.imports ?? [];
    for (const imported of imports) if (imported.kind === 'import-statement' && !imported.external) queue.push(imported.path);
  }
  return [...loaded];
}

// Loaded on first use, never while the extension activates.
const LAZY = [
  /node_modules\/(backblaze-b2|axios|lodash|mime-db|form-data|execa|sql\.js)\//,
  /^src\/core\/diff\/(?!sqljs-loader\.ts$)/,
  /^src\/core\/sync\/(sync|capture|try-migrations|overlap)\.ts$/,
  /^src\/core\/store\/b2-/,
  /^src\/b2-server\//,
  /^src\/extension\/(diff-panel\.ts|webview\/)/,
  /^src\/extension\/commands\/(?!index\.ts$|command-services\.ts$)/,
  /^webview-ui\//,
];

test('activating the extension loads its views, status bar and status engine, nothing heavier', () => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--metafile'], { cwd: root, stdio: 'pipe' });
  const meta = JSON.parse(readFileSync(join(root, '.tmp', 'meta-extension.json'), 'utf8')) as Metafile;
  const outputs = activationOutputs(meta);
  const inputs = outputs.flatMap((output) => Object.keys(meta.outputs[output]!.inputs));
  assert.deepEqual(inputs.filter((input) => LAZY.some((pattern) => pattern.test(input))), [], 'modules loaded at activation that should load on first use');
  assert.ok(inputs.includes('src/core/versions/status.ts'), 'the status engine is part of activation (the first status read starts at once)');
  const bytes = outputs.reduce((sum, output) => sum + meta.outputs[output]!.bytes, 0);
  console.log(`activation loads ${outputs.length} files, ${(bytes / 1024).toFixed(0)} KB`);
  assert.ok(bytes < 250 * 1024, `activation loads ${bytes} bytes`);
});
