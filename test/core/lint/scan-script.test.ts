import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanScript, type ScriptFinding } from '../../../src/core/lint/index';
import { migrationTemplate } from '../../../src/core/migrations/template';

const short = (f: ScriptFinding) => `${f.kind} ${f.table}${f.column ? `.${f.column}` : ''} ${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column}`;

describe('scanScript: risky statements in a script\'s text', () => {
  it('finds DROP TABLE, DROP COLUMN, DELETE and UPDATE without WHERE, with their ranges', () => {
    const script = [
      'import sqlite3, sys', // 0
      'SQL = """', // 1
      'DROP TABLE IF EXISTS main."old orders";', // 2
      '  ALTER TABLE people DROP COLUMN [home city];', // 3
      'delete from log;', // 4
      'UPDATE OR IGNORE prices', // 5
      "   SET cents = cents * 2, note = 'where is it';", // 6
      '"""', // 7
      'def migrate(conn):', // 8
      '    conn.execute("UPDATE t SET x = 1")  # UPDATE u SET y = 2', // 9
      '',
    ].join('\n');
    assert.deepEqual(scanScript(script).map(short), [
      'table-dropped old orders 2:0-2:38',
      'column-dropped people.home city 3:2-3:44',
      'all-rows-deleted log 4:0-4:15',
      'all-rows-updated prices 5:0-6:46',
      'all-rows-updated t 9:18-9:36',
    ]);
    const [drop, , del] = scanScript(script);
    assert.equal(drop!.message, 'DROP TABLE drops table old orders with every row in it.');
    assert.equal(del!.message, 'DELETE without WHERE deletes every row of table log.');
    assert.match(del!.hint, /WHERE/);
  });

  it('leaves alone what has a WHERE, subqueries, comments, literals, triggers and upserts', () => {
    const script = [
      'SQL = """',
      "DELETE FROM a WHERE id = 1;",
      'UPDATE b SET x = (SELECT max(y) FROM c WHERE c.id = b.id)',
      '  WHERE b.id IN (SELECT id FROM d);',
      '-- DELETE FROM commented;',
      '/* DROP TABLE commented; */',
      "INSERT INTO log VALUES ('DELETE FROM quoted; DROP TABLE quoted');",
      'CREATE TRIGGER tr AFTER INSERT ON a BEGIN DELETE FROM cache; UPDATE stats SET n = n + 1; END;',
      'INSERT INTO counts VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1;',
      'CREATE TABLE deleted_things(x); DROP INDEX idx;',
      '"""',
      '# conn.execute("DELETE FROM in_a_comment")',
      '',
    ].join('\n');
    assert.deepEqual(scanScript(script).map(short), []);
  });

  it('flags an UPDATE whose only WHERE is inside a subquery', () => {
    assert.deepEqual(scanScript('SQL = "UPDATE b SET x = (SELECT y FROM c WHERE c.id = b.id)"\n').map((f) => f.kind), ['all-rows-updated']);
  });

  it('finds nothing in a new migration from the template', () => {
    assert.deepEqual(scanScript(migrationTemplate({ phrase: 'add_users' })), []);
  });

  it('shares its kinds with the lint on results', () => {
    const kinds = scanScript('SQL = """DROP TABLE a; ALTER TABLE b DROP c; DELETE FROM d; UPDATE e SET f = 1;"""').map((f) => f.kind);
    assert.deepEqual(kinds, ['table-dropped', 'column-dropped', 'all-rows-deleted', 'all-rows-updated']);
  });
});
