import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BadInputError } from '../../../src/core/errors';
import { discoverMigrations } from '../../../src/core/migrations/discover';
import { MigrationFilesError } from '../../../src/core/migrations/errors';
import { tempDir } from '../sqlite/fixtures';

function write(path: string, content = `# ${path}\n`): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('discoverMigrations', () => {
  it('lists a database folder sorted by id with SHA-256 checksums, ignoring what is not a migration', async () => {
    const scriptsDir = join(tempDir(), 'scripts');
    const app = join(scriptsDir, 'app');
    write(join(app, '20250102030405000000002_second.py'), 'print("second")\n');
    write(join(app, '20240102030405000000001_first.py'), 'print("first")\n');
    write(join(app, 'README.md'));
    write(join(app, 'notes.txt'));
    write(join(app, '_helpers.py'));
    write(join(app, '.hidden.py'));
    write(join(app, '__pycache__', '20250102030405000000002_second.cpython-311.pyc'));
    write(join(app, '__pycache__', 'stray.py'));
    write(join(scriptsDir, '20230102030405000000000_default_only.py'));
    write(join(scriptsDir, 'other', '20230102030405000000000_other_db.py'));
    const migrations = await discoverMigrations({ scriptsDir, db: 'app', isDefault: false });
    assert.deepEqual(migrations, [
      {
        id: '20240102030405000000001',
        phrase: 'first',
        fileName: '20240102030405000000001_first.py',
        path: join(app, '20240102030405000000001_first.py'),
        checksum: sha256('print("first")\n'),
      },
      {
        id: '20250102030405000000002',
        phrase: 'second',
        fileName: '20250102030405000000002_second.py',
        path: join(app, '20250102030405000000002_second.py'),
        checksum: sha256('print("second")\n'),
      },
    ]);
  });

  it('gives the default database the scripts in scripts/ and in its own folder', async () => {
    const scriptsDir = join(tempDir(), 'scripts');
    write(join(scriptsDir, '20250102030405000000003_top.py'));
    write(join(scriptsDir, 'main', '20250102030405000000001_nested.py'));
    write(join(scriptsDir, 'other', '20250102030405000000002_not_mine.py'));
    const migrations = await discoverMigrations({ scriptsDir, db: 'main', isDefault: true });
    assert.deepEqual(migrations.map((m) => m.fileName), ['20250102030405000000001_nested.py', '20250102030405000000003_top.py']);
  });

  it('returns [] when the folder does not exist yet', async () => {
    assert.deepEqual(await discoverMigrations({ scriptsDir: join(tempDir(), 'nothing'), db: 'app', isDefault: true }), []);
  });

  it('reports every malformed .py file, naming it and the expected pattern', async () => {
    const scriptsDir = join(tempDir(), 'scripts');
    write(join(scriptsDir, 'app', '20250102030405000000001_fine.py'));
    write(join(scriptsDir, 'app', 'add_users.py'));
    write(join(scriptsDir, 'app', '2025010203040500000000_short.py'));
    await assert.rejects(discoverMigrations({ scriptsDir, db: 'app', isDefault: false }), (e: unknown) => {
      assert.ok(e instanceof MigrationFilesError);
      assert.ok(e instanceof BadInputError);
      assert.equal(e.problems.length, 2);
      assert.match(e.message, /"add_users\.py" is not a valid migration file name/);
      assert.match(e.message, /"2025010203040500000000_short\.py" is not a valid migration file name: its id has 22 digits/);
      assert.match(e.message, /YYYYMMDDHHMMSS \+ 9 digits of nanoseconds/);
      assert.ok(e.message.includes(join(scriptsDir, 'app')));
      return true;
    });
  });

  it('reports two scripts sharing an id', async () => {
    const scriptsDir = join(tempDir(), 'scripts');
    write(join(scriptsDir, '20250102030405000000001_mine.py'));
    write(join(scriptsDir, 'main', '20250102030405000000001_theirs.py'));
    await assert.rejects(discoverMigrations({ scriptsDir, db: 'main', isDefault: true }), (e: unknown) => {
      assert.ok(e instanceof MigrationFilesError);
      assert.match(e.message, /_mine\.py and .*_theirs\.py share the id 20250102030405000000001/);
      return true;
    });
  });

  it('refuses a database name that is not a single folder name', async () => {
    for (const db of ['', '..', 'a/b', 'a\\b', '.git', '_private']) {
      await assert.rejects(discoverMigrations({ scriptsDir: tempDir(), db, isDefault: false }), BadInputError, db);
    }
  });
});
