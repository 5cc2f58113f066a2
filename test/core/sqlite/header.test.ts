import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BadInputError } from '../../../src/core/errors';
import { assertSqliteFile, isSqliteFile } from '../../../src/core/sqlite/header';
import { createDb, tempDir } from './fixtures';

describe('isSqliteFile / assertSqliteFile', () => {
  const dir = tempDir();
  const db = createDb(join(dir, 'app.db'), 'CREATE TABLE t (a);');
  const text = join(dir, 'notes.db');
  writeFileSync(text, 'this is not a database, just text that is long enough');
  const short = join(dir, 'short.db');
  writeFileSync(short, 'SQLite format');
  const folder = join(dir, 'folder.db');
  mkdirSync(folder);

  it('recognises a SQLite database by its 16-byte header', async () => {
    assert.equal(await isSqliteFile(db), true);
    await assertSqliteFile(db);
  });

  it('says no for text, a truncated header, a folder and a missing file', async () => {
    for (const path of [text, short, folder, join(dir, 'missing.db')]) assert.equal(await isSqliteFile(path), false, path);
  });

  it('throws a BadInputError naming a non-SQLite file', async () => {
    await assert.rejects(assertSqliteFile(text), (e: unknown) => {
      assert.ok(e instanceof BadInputError);
      assert.match(e.message, /notes\.db is not a SQLite database/);
      return true;
    });
  });

  it('throws a BadInputError naming a missing file', async () => {
    await assert.rejects(assertSqliteFile(join(dir, 'gone.db')), (e: unknown) => e instanceof BadInputError && /gone\.db does not exist/.test(e.message));
  });
});
