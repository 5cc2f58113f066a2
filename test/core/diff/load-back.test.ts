import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { diffDatabases } from '../../../src/core/diff/diff-databases';
import { migrationTemplate } from '../../../src/core/migrations/template';
import { sqlite3, tableContents, tempFolder } from './helpers';

const folder = tempFolder();
after(() => folder.cleanup());
let counter = 0;

/** Runs Python with `sys.argv[1:]` = args (for building values Python can write exactly). */
function python(code: string, ...args: string[]): void {
  execFileSync('python3', ['-c', code, ...args], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
}

/** A and B built by Python's sqlite3: `setup` runs on both, then `change` (Python code using `c`) on B. */
function pair(setup: string, change: string, encoding = 'UTF-8'): { a: string; b: string } {
  counter++;
  const a = folder.path(`a${counter}.db`);
  const b = folder.path(`b${counter}.db`);
  const build = (path: string, body: string) =>
    python(
      ['import os, sqlite3, sys', 'c = sqlite3.connect(sys.argv[1])', `c.execute("PRAGMA encoding = '${encoding}'")`, 'c.executescript(sys.argv[2])', body, 'c.commit()', 'c.close()'].join('\n'),
      path,
      setup,
    );
  build(a, '');
  build(b, change);
  return { a, b };
}

/** Applies the diff to copies of A as a captured migration (Python) and with the sqlite3 shell; both must equal B. */
async function assertLoadsBack(a: string, b: string): Promise<string> {
  const { sql } = await diffDatabases(a, b);
  const expected = await tableContents(b);

  const script = folder.path(`migration${++counter}.py`);
  writeFileSync(script, migrationTemplate({ phrase: 'captured', sql }));
  const byPython = folder.path(`python${counter}.db`);
  copyFileSync(a, byPython);
  execFileSync('python3', [script, byPython], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  assert.deepEqual(await tableContents(byPython), expected, 'applied as a migration by Python');

  const byShell = folder.path(`shell${counter}.db`);
  copyFileSync(a, byShell);
  sqlite3(byShell, sql);
  assert.deepEqual(await tableContents(byShell), expected, 'applied by the sqlite3 shell');
  return sql;
}

const TABLE = 'CREATE TABLE t(k TEXT PRIMARY KEY, v); CREATE TABLE r(id INTEGER PRIMARY KEY, v);';

describe('every value the diff writes loads back', () => {
  it('a 1,500-line text, as a value and as a key', async () => {
    const { a, b } = pair(
      `${TABLE} INSERT INTO r VALUES(1, 'short');`,
      "lines = '\\n'.join('line %d' % i for i in range(1500))\n" +
        "c.execute('INSERT INTO t VALUES(?, ?)', (lines, lines))\n" +
        "c.execute('UPDATE r SET v = ? WHERE id = 1', (lines + '\\r\\n',))",
    );
    await assertLoadsBack(a, b);
  });

  it('a key with many control characters, updated and deleted', async () => {
    const key = "'\\t'.join(str(i) for i in range(1200))";
    const { a, b } = pair(TABLE, `c.execute('INSERT INTO t VALUES(?, 1)', (${key},))`);
    const { b: c } = pair(TABLE, `c.execute('INSERT INTO t VALUES(?, 2)', (${key},))`);
    await assertLoadsBack(b, c);
    await assertLoadsBack(b, a);
  });

  it('every control character, alone, in runs and between letters', async () => {
    const { a, b } = pair(
      TABLE,
      'controls = [chr(i) for i in range(32)] + [chr(127)]\n' +
        "for n, ch in enumerate(controls):\n    c.execute('INSERT INTO r VALUES(?, ?)', (n, ch))\n" +
        "c.execute('INSERT INTO r VALUES(100, ?)', (''.join(controls),))\n" +
        "c.execute('INSERT INTO r VALUES(101, ?)', ('x'.join(controls * 40),))\n" +
        "c.execute('INSERT INTO t VALUES(?, 1)', (''.join(controls),))",
    );
    await assertLoadsBack(a, b);
  });

  it('a 5 MB blob, a 5 MB text and a 2 MB text of 200,000 lines', async () => {
    const { a, b } = pair(
      TABLE,
      "c.execute('INSERT INTO r VALUES(1, ?)', (os.urandom(5 << 20),))\n" +
        "c.execute('INSERT INTO r VALUES(2, ?)', ('é' * (5 << 19),))\n" +
        "c.execute('INSERT INTO r VALUES(3, ?)', ('\\n'.join('%09d' % i for i in range(200000)),))",
    );
    await assertLoadsBack(a, b);
  });

  it('text that is not valid UTF-8 (SQLite stores it as given), as a value and as a key', async () => {
    const { a, b } = pair(
      `${TABLE} INSERT INTO t VALUES(CAST(X'61FF62' AS TEXT), 1);`,
      "c.executescript(\"UPDATE t SET v = CAST(X'C3' AS TEXT); INSERT INTO t VALUES(CAST(X'EDA080' AS TEXT), CAST(X'C0AF0A' AS TEXT));" +
        " INSERT INTO r VALUES(1, CAST(X'EFBFBD' AS TEXT)), (2, CAST(X'FF0AFE' AS TEXT))\")",
    );
    await assertLoadsBack(a, b);
    await assertLoadsBack(b, a);
  });

  it('text with control characters in a UTF-16 database', async () => {
    const { a, b } = pair(
      TABLE,
      "c.execute('INSERT INTO r VALUES(1, ?)', ('a\\nb\\x00c',))\n" +
        "c.execute('INSERT INTO t VALUES(?, ?)', ('k\\tey', '\\n'.join('line %d' % i for i in range(1500))))",
      'UTF-16le',
    );
    await assertLoadsBack(a, b);
  });
});
