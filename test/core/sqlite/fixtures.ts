// Helpers shared by the sqlite and migrations tests: temp folders and real python3/SQLite work.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after } from 'node:test';

/** A fresh temp folder, deleted when the test file finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs Python code (`sys.argv[1:]` = args) and returns its stdout; throws on failure. */
export function python(code: string, ...args: string[]): string {
  return execFileSync('python3', ['-c', code, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\n$/, '');
}

/** Creates a database by running SQL with executescript. */
export function createDb(path: string, sql: string): string {
  python('import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.executescript(sys.argv[2])\nc.close()', path, sql);
  return path;
}

/** Rows of a query as JSON-decoded arrays. */
export function query(path: string, sql: string): unknown[][] {
  const out = python(
    'import json, sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(json.dumps(c.execute(sys.argv[2]).fetchall()))\nc.close()',
    path,
    sql,
  );
  return JSON.parse(out) as unknown[][];
}

/** Bytes and mtime of a file, to prove it was not touched. */
export function fingerprint(path: string): { bytes: Buffer; mtimeMs: number } {
  return { bytes: readFileSync(path), mtimeMs: statSync(path).mtimeMs };
}

export interface HeldOpen {
  pid: number;
  /** Tells the holder to run more SQL (committed) and waits until it has. */
  run(sql: string): Promise<void>;
  /** Ends the holder, closing its connection (again: no-op). */
  close(): Promise<void>;
}

/**
 * A separate python3 process that keeps `path` open: it runs `setupSql`, then each SQL line
 * sent to it, answering "ok" after each; it never checkpoints on purpose (WAL writes stay in -wal
 * while it lives).
 */
export async function holdOpen(path: string, setupSql = ''): Promise<HeldOpen> {
  const program = [
    'import sqlite3, sys',
    'c = sqlite3.connect(sys.argv[1], isolation_level=None)',
    'c.execute("PRAGMA wal_autocheckpoint=0")',
    'c.executescript(sys.argv[2])',
    'print("ok", flush=True)',
    'for line in sys.stdin:',
    '    c.executescript(line)',
    '    print("ok", flush=True)',
    'c.close()',
  ].join('\n');
  const child = spawn('python3', ['-c', program, path, setupSql], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const nextLine = (): Promise<void> =>
    new Promise((resolve, reject) => {
      lines.once('line', () => resolve());
      child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
  await nextLine();
  return {
    pid: child.pid ?? -1,
    async run(sql) {
      child.stdin.write(`${sql.replace(/\n/g, ' ')}\n`);
      await nextLine();
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}

/** Whether a process is still alive (a zombie counts as dead). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/**
 * A real `python` command at `path` that appends one line per start to `log`
 * ("<pid> <last argument>"), runs `before` (shell), then becomes python3 (exec keeps the pid).
 */
export function countingPython(path: string, log: string, before = ''): string {
  writeFileSync(path, `#!/bin/sh\nfor last; do :; done\necho "$$ $last" >> '${log}'\n${before}\nexec python3 "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

/** The lines a countingPython wrote: one per process started. */
export function pythonStarts(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
}
