import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { describeFailure } from '../../src/core/check/failure';
import { B2mError, BadInputError } from '../../src/core/errors';
import { discoverMigrations } from '../../src/core/migrations/discover';
import { MigrationFilesError } from '../../src/core/migrations/errors';
import { tempDir } from './sqlite/fixtures';

describe('errors keep their details apart from their summary (nothing splits a message)', () => {
  it('a message is the summary, then the details on the lines under it', () => {
    const e = new BadInputError('Two problems:', 'Fix them.', { details: '  - one\n  - two' });
    assert.equal(e.message, 'Two problems:\n  - one\n  - two');
    assert.equal(e.summary, 'Two problems:');
    assert.equal(e.details, '  - one\n  - two');
    const plain = new B2mError('remote', 'B2 failed.');
    assert.equal(plain.summary, plain.message);
    assert.equal(plain.details, undefined);
  });

  it('a check report takes the summary as its message and the details, unindented, as its output', async () => {
    const scriptsDir = join(tempDir(), 'scripts');
    mkdirSync(join(scriptsDir, 'app'), { recursive: true });
    writeFileSync(join(scriptsDir, 'app', '2025_fix.py'), '');
    writeFileSync(join(scriptsDir, 'app', 'fix.py'), '');
    const error = await discoverMigrations({ scriptsDir, db: 'app', isDefault: false }).then(
      () => assert.fail('malformed names are refused'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof MigrationFilesError);
    const failure = describeFailure(error, 'app.db', scriptsDir);
    assert.equal(failure.message, 'The migrations of "app" have 2 problems:');
    assert.deepEqual(
      failure.output?.split('\n').map((line) => line.replace(/^- in \S+: /, '')),
      error.problems.map((p) => p.replace(/^in \S+: /, '')),
    );
    assert.ok(failure.output?.split('\n').every((line) => line.startsWith('- in ')));
  });
});
