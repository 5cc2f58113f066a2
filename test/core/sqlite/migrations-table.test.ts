import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BadInputError, IntegrityError } from '../../../src/core/errors';
import { MIGRATIONS_TABLE_DDL, readAppliedMigrations } from '../../../src/core/sqlite/migrations-table';
import { createDb, fingerprint, holdOpen, tempDir } from './fixtures';

const ROWS = `${MIGRATIONS_TABLE_DDL};
INSERT INTO _b2m_migrations VALUES ('20250102030405000000002', 'second', 'c2', '2025-01-02T03:04:06.000Z', 'bob');
INSERT INTO _b2m_migrations VALUES ('20250102030405000000001', 'first', 'c1', '2025-01-02T03:04:05.000Z', 'ada');`;

describe('readAppliedMigrations', () => {
  const dir = tempDir();

  it('returns the recorded migrations in id order', async () => {
    const db = createDb(join(dir, 'rows.db'), ROWS);
    assert.deepEqual(await readAppliedMigrations(db), [
      { id: '20250102030405000000001', name: 'first', checksum: 'c1', appliedAt: '2025-01-02T03:04:05.000Z', appliedBy: 'ada' },
      { id: '20250102030405000000002', name: 'second', checksum: 'c2', appliedAt: '2025-01-02T03:04:06.000Z', appliedBy: 'bob' },
    ]);
  });

  it('returns [] for a database without the table', async () => {
    assert.deepEqual(await readAppliedMigrations(createDb(join(dir, 'plain.db'), 'CREATE TABLE t (a);')), []);
  });

  it('leaves a rollback-journal database byte for byte, mtime included, with no sidecar files', async () => {
    const db = createDb(join(dir, 'rollback.db'), ROWS);
    const before = fingerprint(db);
    const filesBefore = readdirSync(dir).sort();
    assert.equal((await readAppliedMigrations(db)).length, 2);
    assert.deepEqual(fingerprint(db), before);
    assert.deepEqual(readdirSync(dir).sort(), filesBefore);
  });

  it('creates no -wal/-shm for a closed WAL-mode database and does not touch it', async () => {
    const db = createDb(join(dir, 'wal.db'), `PRAGMA journal_mode=WAL; ${ROWS}`);
    assert.equal(existsSync(`${db}-wal`) || existsSync(`${db}-shm`), false, 'fixture left sidecars');
    const before = fingerprint(db);
    assert.equal((await readAppliedMigrations(db)).length, 2);
    assert.deepEqual(fingerprint(db), before);
    assert.equal(existsSync(`${db}-wal`), false);
    assert.equal(existsSync(`${db}-shm`), false);
  });

  it('sees rows still in the write-ahead log of a database open in another process', async () => {
    const db = createDb(join(dir, 'open.db'), `PRAGMA journal_mode=WAL; ${MIGRATIONS_TABLE_DDL};`);
    const holder = await holdOpen(db, "INSERT INTO _b2m_migrations VALUES ('20250102030405000000009', 'late', 'c9', 't', 'eve');");
    try {
      const before = fingerprint(db);
      const rows = await readAppliedMigrations(db);
      assert.deepEqual(rows.map((r) => r.name), ['late']);
      assert.deepEqual(fingerprint(db), before);
    } finally {
      await holder.close();
    }
  });

  it('refuses a file that is not SQLite, and reports a damaged one as an integrity problem', async () => {
    const text = join(dir, 'text.db');
    writeFileSync(text, 'hello');
    await assert.rejects(readAppliedMigrations(text), BadInputError);
    const damaged = join(dir, 'damaged.db');
    writeFileSync(damaged, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(200, 0xff)]));
    await assert.rejects(readAppliedMigrations(damaged), IntegrityError);
  });
});
