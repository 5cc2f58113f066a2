import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../support/team';

test('b2m init writes b2m.json, the scripts folder and ignores .b2m/, and never overwrites', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-init-'));
  try {
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
    const noBucket = run('init', '--database', 'app.db');
    assert.equal(noBucket.status, 2, noBucket.stderr);
    assert.match(noBucket.stderr, /^error: b2m init needs the B2 bucket that will hold the databases\.$/m);
    assert.match(noBucket.stderr, /^hint: Give it with --bucket NAME, e\.g\. "b2m init --bucket my-team-bucket --database app\.db"\./m);
    assert.throws(() => statSync(join(dir, 'b2m.json')), 'nothing written');

    const bad = run('init', '--bucket', 'x');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /"bucket" must be 6 to 63 letters/);

    const ok = run('init', '--bucket', 'team-bucket', '--prefix', 'dbs', '--database', 'app.db', '--database', 'stats.db');
    assert.equal(ok.status, 0, ok.stderr);
    const config = JSON.parse(readFileSync(join(dir, 'b2m.json'), 'utf8'));
    assert.equal(config.bucket, 'team-bucket');
    assert.equal(config.prefix, 'dbs/');
    assert.deepEqual(config.databases, ['app.db', 'stats.db']);
    assert.ok(statSync(join(dir, 'scripts')).isDirectory());
    assert.match(readFileSync(join(dir, '.gitignore'), 'utf8'), /^\.b2m\/$/m);

    const again = run('init', '--bucket', 'other-bucket');
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists/);
    assert.equal(JSON.parse(readFileSync(join(dir, 'b2m.json'), 'utf8')).bucket, 'team-bucket');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
