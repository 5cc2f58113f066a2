import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

/** README "Command line": `npm pack`, then `npm install -g ./b2m-<version>.tgz`, then `b2m` runs. */
test('the packed tarball holds the command line, installs into a prefix, and b2m runs from there', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-pack-'));
  try {
    // run-unit-tests built dist/ already; `npm pack` would build it again through "prepare".
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: root, stdio: 'pipe' });
    const tarball = join(dir, `b2m-${version}.tgz`);
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    assert.deepEqual(files, ['package/LICENSE', 'package/README.md', 'package/dist/cli.cjs', 'package/dist/sql-wasm.wasm', 'package/package.json']);

    const prefix = join(dir, 'prefix');
    execFileSync('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: dir, stdio: 'pipe' });
    const b2m = (...args: string[]) => spawnSync(join(prefix, 'bin', 'b2m'), args, { cwd: dir, encoding: 'utf8' });

    const versionRun = b2m('--version');
    assert.equal(versionRun.status, 0, versionRun.stderr);
    assert.equal(versionRun.stdout, `b2m/${version}\n`);

    // The diff engine needs the SQLite wasm shipped beside the bundle.
    for (const [name, sql] of [['a.db', 'CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);'], ['b.db', "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'x');"]] as const) {
      execFileSync('sqlite3', [join(dir, name), sql]);
    }
    const diff = b2m('diff', 'a.db', 'b.db');
    assert.equal(diff.status, 0, diff.stderr);
    assert.equal(diff.stdout, "INSERT INTO t(id,v) VALUES(1,'x');\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
