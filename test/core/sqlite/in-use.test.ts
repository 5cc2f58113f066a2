import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findProcessesHoldingOpen } from '../../../src/core/sqlite/holders';
import { sidecarFiles } from '../../../src/core/sqlite/sidecars';
import { createDb, holdOpen, tempDir } from './fixtures';

describe('sidecarFiles', () => {
  const dir = tempDir();

  it('lists the -wal, -shm and -journal files that exist', async () => {
    const db = createDb(join(dir, 'a.db'), 'CREATE TABLE t (a);');
    assert.deepEqual(await sidecarFiles(db), []);
    writeFileSync(`${db}-journal`, '');
    writeFileSync(`${db}-wal`, '');
    assert.deepEqual(await sidecarFiles(db), [`${db}-wal`, `${db}-journal`]);
  });
});

describe('findProcessesHoldingOpen', () => {
  const dir = tempDir();

  it('finds another process that has the database open, by pid and command', async () => {
    const db = createDb(join(dir, 'held.db'), 'PRAGMA journal_mode=WAL; CREATE TABLE t (a);');
    const holder = await holdOpen(db, 'INSERT INTO t VALUES (1);');
    try {
      const holders = await findProcessesHoldingOpen(db);
      assert.deepEqual(holders, [{ pid: holder.pid, command: 'python3' }]);
    } finally {
      await holder.close();
    }
    assert.deepEqual(await findProcessesHoldingOpen(db), []);
  });

  it('leaves out this process', async () => {
    const db = createDb(join(dir, 'mine.db'), 'CREATE TABLE t (a);');
    const handle = await open(db, 'r');
    try {
      assert.deepEqual(await findProcessesHoldingOpen(db), []);
    } finally {
      await handle.close();
    }
  });

  it('returns [] where there is no /proc', async () => {
    const db = createDb(join(dir, 'noproc.db'), 'CREATE TABLE t (a);');
    const holder = await holdOpen(db);
    try {
      assert.deepEqual(await findProcessesHoldingOpen(db, join(dir, 'no-proc-here')), []);
    } finally {
      await holder.close();
    }
  });
});
