import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { BadInputError, CancelledError, IntegrityError } from '../../../src/core/errors';
import { findProcessesHoldingOpen } from '../../../src/core/sqlite/holders';
import { MIGRATIONS_TABLE_DDL, readAppliedMigrations } from '../../../src/core/sqlite/migrations-table';
import { consistentSnapshot } from '../../../src/core/sqlite/snapshot';
import { verifyDatabase } from '../../../src/core/sqlite/verify';
import { countingPython, createDb, holdOpen, isAlive, pythonStarts, tempDir } from './fixtures';

const root = join(import.meta.dirname, '..', '..', '..');

/** Waits until `condition` holds, polling; fails after `ms`. */
async function eventually(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

describe('the SQLite helper process', () => {
  const dir = tempDir();
  const db = createDb(join(dir, 'app.db'), `${MIGRATIONS_TABLE_DDL}; CREATE TABLE t (a);`);

  /** A counting Python command whose helper has answered once, and that helper's pid. */
  async function runningHelper(name: string): Promise<{ python: string; log: string; pid: number }> {
    const log = join(dir, `${name}.log`);
    const python = countingPython(join(dir, `python-${name}`), log);
    await readAppliedMigrations(db, { python });
    return { python, log, pid: Number(pythonStarts(log)[0]?.split(' ')[0]) };
  }

  it('answers every job of an operation from one process, and keeps no database open between them', async () => {
    const log = join(dir, 'one.log');
    const python = countingPython(join(dir, 'python-one'), log);
    assert.deepEqual(await readAppliedMigrations(db, { python }), []);
    await consistentSnapshot(db, join(dir, 'copy.db'), { python });
    assert.deepEqual(await verifyDatabase(join(dir, 'copy.db'), { python }), {});
    const damaged = join(dir, 'damaged.db');
    writeFileSync(damaged, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(200, 0xff)]));
    await assert.rejects(readAppliedMigrations(damaged, { python }), IntegrityError);
    assert.deepEqual(await readAppliedMigrations(join(dir, 'copy.db'), { python }), []);
    assert.equal(pythonStarts(log).length, 1, pythonStarts(log).join('\n'));
    assert.deepEqual(await findProcessesHoldingOpen(db), []);
    assert.deepEqual(await findProcessesHoldingOpen(join(dir, 'copy.db')), []);
  });

  it('answers concurrent requests one after the other', async () => {
    const log = join(dir, 'concurrent.log');
    const python = countingPython(join(dir, 'python-concurrent'), log);
    const results = await Promise.all([1, 2, 3, 4].map(() => readAppliedMigrations(db, { python })));
    assert.deepEqual(results, [[], [], [], []]);
    assert.equal(pythonStarts(log).length, 1);
  });

  it('starts a new process when the previous one died', async () => {
    const { python, log, pid: firstPid } = await runningHelper('restart');
    process.kill(firstPid, 'SIGKILL');
    await eventually(() => !isAlive(firstPid), 'the helper is gone');
    assert.deepEqual(await readAppliedMigrations(db, { python }), []);
    assert.equal(pythonStarts(log).length, 2);
  });

  it('kills the process group of a cancelled job at once; the next job gets a new process', async () => {
    const { python, log, pid } = await runningHelper('cancel');
    // An exclusive lock makes the helper's read wait (SQLite's busy timeout is 5 s).
    const locked = createDb(join(dir, 'locked.db'), 'CREATE TABLE t (a);');
    const holder = await holdOpen(locked, 'BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);');
    try {
      const controller = new AbortController();
      const read = readAppliedMigrations(locked, { python, signal: controller.signal });
      await sleep(300);
      const cancelledAt = Date.now();
      controller.abort();
      await assert.rejects(read, CancelledError);
      assert.ok(Date.now() - cancelledAt < 2000, `cancelling took ${Date.now() - cancelledAt} ms`);
      assert.equal(isAlive(pid), false);
    } finally {
      await holder.close();
    }
    assert.deepEqual(await readAppliedMigrations(locked, { python }), []);
    assert.equal(pythonStarts(log).length, 2);
  });

  it('cancels a job still waiting for its turn without stopping the one running', async () => {
    const log = join(dir, 'queue.log');
    const python = countingPython(join(dir, 'python-queue'), log);
    const locked = createDb(join(dir, 'queue-locked.db'), 'CREATE TABLE t (a);');
    const holder = await holdOpen(locked, 'BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);');
    const running = readAppliedMigrations(locked, { python });
    const controller = new AbortController();
    const waiting = readAppliedMigrations(db, { python, signal: controller.signal });
    controller.abort();
    await assert.rejects(waiting, CancelledError);
    await holder.close();
    assert.deepEqual(await running, []);
    assert.equal(pythonStarts(log).length, 1);
  });

  it('says which database and which setting when the Python command does not run the helper', async () => {
    const notPython = join(dir, 'not-python');
    writeFileSync(notPython, '#!/bin/sh\necho "this is not Python" >&2\nexit 3\n');
    chmodSync(notPython, 0o755);
    await assert.rejects(readAppliedMigrations(db, { python: notPython }), (e: unknown) => {
      assert.ok(e instanceof BadInputError);
      assert.match(e.message, /^The SQLite helper \(Python\) failed on .*app\.db: it exited \(3\) without answering\.\nthis is not Python$/);
      assert.match(e.hint ?? '', /"python" command in b2m\.json/);
      return true;
    });
    const echo = join(dir, 'echo-python');
    writeFileSync(echo, '#!/bin/sh\nexec cat\n');
    chmodSync(echo, 0o755);
    await assert.rejects(readAppliedMigrations(db, { python: echo }), (e: unknown) => e instanceof BadInputError && /failed on .*app\.db: it answered \{"id"/.test(e.message));
    await assert.rejects(
      readAppliedMigrations(db, { python: join(dir, 'missing-python') }),
      (e: unknown) => e instanceof BadInputError && /Could not start Python with the command ".*missing-python": ENOENT/.test(e.message),
    );
  });

  it('never keeps a program running, and is killed with its process group when the program exits', async () => {
    const log = join(dir, 'exit.log');
    const groupMember = join(dir, 'group-member.pid');
    // The wrapper leaves a `sleep` in the helper's process group: only killing the group ends it.
    const python = countingPython(join(dir, 'python-exit'), log, `sleep 300 &\necho $! > '${groupMember}'`);
    const program = join(dir, 'reads-once.mts');
    writeFileSync(
      program,
      `import { readAppliedMigrations } from ${JSON.stringify(join(root, 'src/core/sqlite/migrations-table.ts'))};\n` +
        'console.log(JSON.stringify(await readAppliedMigrations(process.argv[2], { python: process.argv[3] })));\n',
    );
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', './scripts/py-text-loader.mjs', program, db, python], {
      cwd: root,
      timeout: 60_000,
    });
    assert.equal(stdout.trim(), '[]');
    // The helper stays idle for minutes; the program must not wait for it.
    assert.ok(Date.now() - started < 30_000, `the program took ${Date.now() - started} ms`);
    const helper = Number(pythonStarts(log)[0]?.split(' ')[0]);
    const sleeper = Number(readFileSync(groupMember, 'utf8'));
    await eventually(() => !isAlive(helper) && !isAlive(sleeper), 'the helper and its group are gone');
  });
});
