import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BadInputError } from '../../../src/core/errors';
import { consistentSnapshot } from '../../../src/core/sqlite/snapshot';
import { createDb, fingerprint, holdOpen, query, tempDir } from './fixtures';

/** Bytes 18 and 19 of the header are 2 for WAL mode and 1 for a rollback journal. */
function journalFormat(path: string): [number, number] {
  const header = readFileSync(path);
  return [header[18] ?? -1, header[19] ?? -1];
}

describe('consistentSnapshot', () => {
  const dir = tempDir();

  it('copies a WAL database with writes not yet checkpointed, into a self-contained rollback-journal file', async () => {
    const source = createDb(join(dir, 'wal.db'), 'PRAGMA journal_mode=WAL; CREATE TABLE t (v TEXT); INSERT INTO t VALUES (\'checkpointed\');');
    const holder = await holdOpen(source, "INSERT INTO t VALUES ('only in the wal');");
    try {
      assert.ok(existsSync(`${source}-wal`));
      const before = fingerprint(source);
      const dest = join(dir, 'copy.db');
      await consistentSnapshot(source, dest);
      assert.deepEqual(fingerprint(source), before, 'the source file changed');
      await holder.close();
      assert.deepEqual(journalFormat(dest), [1, 1]);
      assert.deepEqual(query(dest, 'SELECT v FROM t ORDER BY rowid'), [['checkpointed'], ['only in the wal']]);
      assert.deepEqual(query(dest, 'PRAGMA journal_mode'), [['delete']]);
      assert.equal(existsSync(`${dest}-wal`) || existsSync(`${dest}-shm`), false);
    } finally {
      await holder.close();
    }
  });

  it('gets a consistent copy of a database another process keeps writing to', async () => {
    const source = createDb(join(dir, 'busy.db'), 'CREATE TABLE pairs (n INTEGER, side TEXT);');
    // Each transaction inserts two rows; a torn copy would hold an odd number of them.
    const writer = spawn('python3', [
      '-c',
      [
        'import sqlite3, sys, time',
        'c = sqlite3.connect(sys.argv[1], timeout=30)',
        'n = 0',
        'while True:',
        '    n += 1',
        '    with c:',
        '        c.execute("INSERT INTO pairs VALUES (?, \'a\')", (n,))',
        '        c.execute("INSERT INTO pairs VALUES (?, \'b\')", (n,))',
        '    if n == 1:',
        '        print("writing", flush=True)',
        '    time.sleep(0.002)',
      ].join('\n'),
      source,
    ]);
    try {
      await once(writer.stdout, 'data');
      for (let i = 0; i < 3; i++) {
        const dest = join(dir, `busy-${i}.db`);
        await consistentSnapshot(source, dest);
        const [[rows, pairs]] = query(dest, 'SELECT count(*), count(DISTINCT n) FROM pairs') as [[number, number]];
        assert.ok(pairs > 0);
        assert.equal(rows, pairs * 2, `copy ${i} is torn: ${rows} rows for ${pairs} pairs`);
        assert.deepEqual(query(dest, 'PRAGMA integrity_check'), [['ok']]);
      }
      assert.equal(writer.exitCode, null, 'the writer stopped before the copies were made');
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('refuses a source that is not SQLite and creates nothing', async () => {
    const text = join(dir, 'text.db');
    writeFileSync(text, 'not a database at all');
    const before = readdirSync(dir).sort();
    await assert.rejects(consistentSnapshot(text, join(dir, 'never.db')), BadInputError);
    assert.deepEqual(readdirSync(dir).sort(), before);
  });

  it('replaces an existing destination', async () => {
    const source = createDb(join(dir, 'new.db'), 'CREATE TABLE fresh (a); INSERT INTO fresh VALUES (42);');
    const dest = createDb(join(dir, 'old.db'), 'CREATE TABLE stale (a);');
    await consistentSnapshot(source, dest);
    assert.deepEqual(query(dest, 'SELECT a FROM fresh'), [[42]]);
    assert.deepEqual(query(dest, "SELECT count(*) FROM sqlite_master WHERE name = 'stale'"), [[0]]);
  });
});
