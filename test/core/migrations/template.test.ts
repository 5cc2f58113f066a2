import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { migrationTemplate, pythonStringLiteral } from '../../../src/core/migrations/template';
import { createDb, fingerprint, python, query, tempDir } from '../sqlite/fixtures';

const NASTY = [
  '',
  '"',
  '""',
  '"""',
  '""""""',
  'ends with a quote"',
  "'''single'''",
  '\\',
  'ends with a backslash\\',
  '\\"""',
  'C:\\new\\table\\x41\\u0041\\N{BULLET}',
  'crlf\r\nline\rcr only\n',
  '\0nul and \x1b[31m escape \x7f del \x85 nel',
  'line\u2028separator\u2029paragraph\ufeffbom',
  'tab\there',
  'émoji 😀 and 𝄞 and 中文',
  'lone surrogates \ud800 and \udc00',
  '{braces} %s %(name)s',
];

function randomNasty(count: number): string[] {
  const alphabet = ['"', "'", '\\', '\n', '\r', '\t', '\0', 'a', ' ', '😀', '\u2028', 'N', '{', 'x', 'u'];
  return Array.from({ length: count }, () =>
    Array.from({ length: Math.floor(Math.random() * 12) }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join(''),
  );
}

/** Evaluates each literal in Python and returns the values (JSON keeps lone surrogates). */
function evaluateInPython(dir: string, literals: string[]): string[] {
  const module = join(dir, 'literals.py');
  writeFileSync(module, `VALUES = [\n${literals.map((l) => `    ${l},\n`).join('')}]\n`, 'utf8');
  const out = python('import json, runpy, sys\nprint(json.dumps(runpy.run_path(sys.argv[1])["VALUES"]))', module);
  return JSON.parse(out) as string[];
}

describe('pythonStringLiteral', () => {
  const dir = tempDir();

  it('round-trips nasty text exactly through Python', () => {
    const texts = [...NASTY, ...randomNasty(300)];
    assert.deepEqual(evaluateInPython(dir, texts.map(pythonStringLiteral)), texts);
  });

  it('keeps ordinary SQL readable: its lines stay lines', () => {
    const literal = pythonStringLiteral('CREATE TABLE "t" (a);\nINSERT INTO t VALUES (1);');
    assert.ok(literal.includes('\nINSERT INTO t VALUES (1);'));
    assert.ok(literal.includes('CREATE TABLE "t" (a);'));
  });
});

describe('migrationTemplate', () => {
  const dir = tempDir();

  it('is, as generated, a valid migration that changes nothing', () => {
    const script = join(dir, 'noop.py');
    writeFileSync(script, migrationTemplate({ phrase: 'add_users' }));
    const db = createDb(join(dir, 'noop.db'), 'CREATE TABLE t (a); INSERT INTO t VALUES (1);');
    const before = query(db, 'SELECT type, name, sql FROM sqlite_master');
    python('import runpy, sys\nsys.argv = sys.argv[1:]\nrunpy.run_path(sys.argv[0], run_name="__main__")', script, db);
    assert.deepEqual(query(db, 'SELECT type, name, sql FROM sqlite_master'), before);
    assert.deepEqual(query(db, 'SELECT a FROM t'), [[1]]);
  });

  it('explains how to write a migration and takes the database path as its argument', () => {
    const text = migrationTemplate({ phrase: 'add_users' });
    assert.ok(text.startsWith('"""add users\n'));
    for (const point of ['scratch copy', 'exactly once', 'never commit part way', 'sys.argv[1]']) assert.ok(text.includes(point), point);
  });

  it('applies embedded SQL with nasty values exactly', () => {
    const values = NASTY.filter((v) => !/[\0\ud800-\udfff]/.test(v)); // SQLite text cannot hold NUL; UTF-8 cannot hold lone surrogates
    const sql = ['CREATE TABLE t (v TEXT);', ...values.map((v) => `INSERT INTO t VALUES ('${v.replace(/'/g, "''")}');`)].join('\n');
    const script = join(dir, 'captured.py');
    writeFileSync(script, migrationTemplate({ phrase: 'captured', sql }));
    const db = createDb(join(dir, 'captured.db'), '');
    python('import subprocess, sys\nsubprocess.run([sys.executable, sys.argv[1], sys.argv[2]], check=True)', script, db);
    assert.deepEqual(query(db, 'SELECT v FROM t ORDER BY rowid').map((row) => row[0]), values);
  });

  it('commits nothing when a statement fails part way', () => {
    const script = join(dir, 'partial.py');
    writeFileSync(script, migrationTemplate({ phrase: 'partial', sql: "INSERT INTO t VALUES ('first');\nINSERT INTO missing_table VALUES (1);" }));
    const db = createDb(join(dir, 'partial.db'), 'CREATE TABLE t (v TEXT);');
    const before = fingerprint(db);
    assert.throws(() => python('import subprocess, sys\nsubprocess.run([sys.executable, sys.argv[1], sys.argv[2]], check=True, capture_output=True)', script, db));
    assert.deepEqual(query(db, 'SELECT count(*) FROM t'), [[0]]);
    assert.deepEqual(fingerprint(db).bytes, before.bytes);
  });
});
