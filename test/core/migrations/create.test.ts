import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { BadInputError } from '../../../src/core/errors';
import { createMigration } from '../../../src/core/migrations/create';
import { parseMigrationFileName } from '../../../src/core/migrations/naming';
import { migrationTemplate } from '../../../src/core/migrations/template';
import { tempDir } from '../sqlite/fixtures';

const NOW = BigInt(Date.UTC(2025, 4, 6, 7, 8, 9)) * 1_000_000n + 42n;
const FIRST_ID = '20250506070809000000042';

describe('createMigration', () => {
  it('writes the template to scripts/<db>/ and returns its absolute path', async () => {
    const scriptsDir = join(tempDir(), 'scripts');
    const path = await createMigration({ scriptsDir, db: 'app', isDefault: false, phrase: 'Add users', now: () => NOW });
    assert.ok(isAbsolute(path));
    assert.equal(path, join(scriptsDir, 'app', `${FIRST_ID}_add_users.py`));
    assert.equal(readFileSync(path, 'utf8'), migrationTemplate({ phrase: 'add_users' }));
  });

  it('puts migrations of the default database directly in scripts/, embedding SQL', async () => {
    const scriptsDir = join(tempDir(), 'scripts');
    const path = await createMigration({ scriptsDir, db: 'main', isDefault: true, phrase: 'captured', sql: 'DELETE FROM t;', now: () => NOW });
    assert.equal(path, join(scriptsDir, `${FIRST_ID}_captured.py`));
    assert.equal(readFileSync(path, 'utf8'), migrationTemplate({ phrase: 'captured', sql: 'DELETE FROM t;' }));
  });

  it('gives concurrent creates in the same nanosecond distinct ids', async () => {
    const scriptsDir = join(tempDir(), 'scripts');
    // Separate clocks that all read the same instant, as separate processes would; staggered
    // starts so that some creates begin while others run and some after others finished.
    const paths = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await new Promise((done) => setTimeout(done, (i % 5) * 15));
        return createMigration({ scriptsDir, db: 'app', isDefault: false, phrase: i % 2 === 0 ? 'same' : `other ${i}`, now: () => NOW });
      }),
    );
    const ids = paths.map((p) => parseMigrationFileName(basename(p)).id);
    assert.equal(new Set(ids).size, 20);
    assert.deepEqual(readdirSync(join(scriptsDir, 'app')).sort(), paths.map((p) => basename(p)).sort());
    assert.ok(ids.includes(FIRST_ID));
  });

  it('gives creates from two processes in the same nanosecond distinct ids', async () => {
    const scriptsDir = join(tempDir(), 'scripts');
    const module = resolve('src/core/migrations/create.ts');
    const program = `
      const { createMigration } = require(${JSON.stringify(module)});
      (async () => {
        for (let i = 0; i < 15; i++) {
          await createMigration({ scriptsDir: ${JSON.stringify(scriptsDir)}, db: 'app', isDefault: false, phrase: process.argv[1] + ' ' + (i % 3), now: () => ${NOW}n });
        }
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const run = (name: string): Promise<unknown> => promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', './scripts/py-text-loader.mjs', '-e', program, name]);
    await Promise.all([run('left'), run('right')]);
    const files = readdirSync(join(scriptsDir, 'app'));
    assert.equal(files.length, 30, files.join('\n'));
    assert.equal(new Set(files.map((f) => parseMigrationFileName(f).id)).size, 30);
  });

  it('moves past an id already used by another script of the database', async () => {
    const scriptsDir = join(tempDir(), 'scripts');
    mkdirSync(join(scriptsDir, 'main'), { recursive: true });
    writeFileSync(join(scriptsDir, 'main', `${FIRST_ID}_existing.py`), '');
    const path = await createMigration({ scriptsDir, db: 'main', isDefault: true, phrase: 'next', now: () => NOW });
    assert.equal(path, join(scriptsDir, '20250506070809000000043_next.py'));
    assert.deepEqual(readdirSync(scriptsDir).sort(), ['20250506070809000000043_next.py', 'main']);
  });

  it('refuses an unusable phrase before writing anything', async () => {
    const scriptsDir = join(tempDir(), 'scripts');
    await assert.rejects(createMigration({ scriptsDir, db: 'app', isDefault: false, phrase: '?!' }), BadInputError);
    assert.equal(existsSync(scriptsDir), false);
  });

  it('refuses a database name that would leave the scripts folder', async () => {
    const scriptsDir = join(tempDir(), 'scripts');
    await assert.rejects(createMigration({ scriptsDir, db: '../elsewhere', isDefault: false, phrase: 'x' }), BadInputError);
    assert.equal(existsSync(scriptsDir), false);
  });
});
