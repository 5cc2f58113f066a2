import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { compareThreeWay, type Conflict, type ThreeWayReport } from '../../../src/core/merge/index';
import { sqlite3, tempFolder } from '../diff/helpers';

const folder = tempFolder();
after(() => folder.cleanup());
let counter = 0;

/** Real files: ANCESTOR from `setup`, THEIRS and YOURS from it plus their own SQL. */
async function threeWay(setup: string, theirs: string, yours: string): Promise<ThreeWayReport> {
  const n = ++counter;
  const paths = { ancestor: folder.path(`ancestor${n}.db`), theirs: folder.path(`theirs${n}.db`), yours: folder.path(`yours${n}.db`) };
  sqlite3(paths.ancestor, setup);
  copyFileSync(paths.ancestor, paths.theirs);
  copyFileSync(paths.ancestor, paths.yours);
  if (theirs) sqlite3(paths.theirs, theirs);
  if (yours) sqlite3(paths.yours, yours);
  return compareThreeWay(paths.ancestor, paths.theirs, paths.yours);
}

const int = (n: number) => ({ type: 'integer' as const, value: String(n) });
const text = (value: string) => ({ type: 'text' as const, value });

/** A conflict without its values: what most cases check. */
function outline(c: Conflict): string {
  const key = 'key' in c ? ` ${JSON.stringify(Object.fromEntries(Object.entries(c.key).map(([k, v]) => [k, v && 'value' in v ? v.value : v])))}` : '';
  return `${c.kind} ${c.table}${key}${'column' in c ? ` .${c.column}` : ''}`;
}

const PEOPLE = "CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT, age INTEGER, city TEXT); INSERT INTO people VALUES (1,'ada',36,'london'),(2,'alan',41,'wilmslow'),(3,'grace',85,'arlington');";

interface Case {
  name: string;
  setup: string;
  theirs: string;
  yours: string;
  conflicts: string[];
  cleanlyMerged: number;
}

const CASES: Case[] = [
  { name: 'same row, different columns: clean', setup: PEOPLE, theirs: 'UPDATE people SET age = 37 WHERE id = 1;', yours: "UPDATE people SET city = 'paris' WHERE id = 1;", conflicts: [], cleanlyMerged: 1 },
  { name: 'same cell, same value: clean', setup: PEOPLE, theirs: 'UPDATE people SET age = 37 WHERE id = 1;', yours: 'UPDATE people SET age = 37, city = NULL WHERE id = 1;', conflicts: [], cleanlyMerged: 1 },
  {
    name: 'same cell, different values: conflict on that cell only',
    setup: PEOPLE,
    theirs: "UPDATE people SET age = 37, city = 'x' WHERE id = 1;",
    yours: 'UPDATE people SET age = 38 WHERE id = 1; UPDATE people SET age = 1 WHERE id = 3;',
    conflicts: ['same-cell people {"id":"1"} .age'],
    cleanlyMerged: 0,
  },
  { name: 'deleted by theirs, updated by yours', setup: PEOPLE, theirs: 'DELETE FROM people WHERE id = 2;', yours: 'UPDATE people SET age = 42 WHERE id = 2;', conflicts: ['deleted-by-theirs-changed-by-yours people {"id":"2"}'], cleanlyMerged: 0 },
  { name: 'updated by theirs, deleted by yours', setup: PEOPLE, theirs: 'UPDATE people SET age = 42 WHERE id = 2;', yours: 'DELETE FROM people WHERE id = 2;', conflicts: ['changed-by-theirs-deleted-by-yours people {"id":"2"}'], cleanlyMerged: 0 },
  { name: 'deleted on both sides: clean', setup: PEOPLE, theirs: 'DELETE FROM people WHERE id = 2;', yours: 'DELETE FROM people WHERE id = 2;', conflicts: [], cleanlyMerged: 1 },
  { name: 'same new key, same values: clean', setup: PEOPLE, theirs: "INSERT INTO people VALUES (4,'edsger',72,'austin');", yours: "INSERT INTO people VALUES (4,'edsger',72,'austin');", conflicts: [], cleanlyMerged: 1 },
  {
    name: 'same new key, different values: conflict',
    setup: PEOPLE,
    theirs: "INSERT INTO people VALUES (4,'edsger',72,'austin');",
    yours: "INSERT INTO people VALUES (4,'barbara',87,'boston'), (5,'ken',81,'berkeley');",
    conflicts: ['insert-same-key people {"id":"4"}'],
    cleanlyMerged: 0,
  },
  {
    name: 'schema changed on one side only, rows on the other: clean, cells still compared',
    setup: PEOPLE,
    theirs: "ALTER TABLE people ADD COLUMN email TEXT; UPDATE people SET email = 'ada@x', age = 40 WHERE id = 1;",
    yours: "UPDATE people SET city = 'paris' WHERE id = 1; UPDATE people SET age = 50 WHERE id = 1;",
    conflicts: ['same-cell people {"id":"1"} .age'],
    cleanlyMerged: 0,
  },
  {
    name: 'schema changed on one side, different columns of one row on both: clean',
    setup: PEOPLE,
    theirs: "ALTER TABLE people ADD COLUMN email TEXT; UPDATE people SET email = 'ada@x' WHERE id = 1;",
    yours: "UPDATE people SET city = 'paris' WHERE id = 1;",
    conflicts: [],
    cleanlyMerged: 1,
  },
  { name: 'schema of one table changed on both sides: conflict, rows not compared', setup: PEOPLE, theirs: 'ALTER TABLE people ADD COLUMN email TEXT; UPDATE people SET age = 1;', yours: 'ALTER TABLE people ADD COLUMN phone TEXT; UPDATE people SET age = 2;', conflicts: ['schema-both people'], cleanlyMerged: 0 },
  { name: 'the same schema change on both sides: clean', setup: PEOPLE, theirs: 'CREATE INDEX people_age ON people(age);', yours: 'CREATE INDEX people_age ON people(age); UPDATE people SET age = 2 WHERE id = 2;', conflicts: [], cleanlyMerged: 0 },
  { name: 'different indexes of one table on both sides: clean', setup: PEOPLE, theirs: 'CREATE INDEX people_age ON people(age);', yours: 'CREATE INDEX people_city ON people(city);', conflicts: [], cleanlyMerged: 0 },
  { name: 'one index changed differently on both sides: conflict', setup: `${PEOPLE} CREATE INDEX people_x ON people(age);`, theirs: 'DROP INDEX people_x; CREATE INDEX people_x ON people(city);', yours: 'DROP INDEX people_x; CREATE INDEX people_x ON people(name);', conflicts: ['schema-both people'], cleanlyMerged: 0 },
  {
    name: 'a table only one side touched: clean',
    setup: `${PEOPLE} CREATE TABLE pets(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO pets VALUES (1,'rex');`,
    theirs: "UPDATE pets SET name = 'max' WHERE id = 1; DELETE FROM people;",
    yours: "INSERT INTO pets VALUES (2, 'tom');",
    conflicts: [],
    cleanlyMerged: 0,
  },
  {
    name: 'WITHOUT ROWID, composite key: cells of one row merge, the same cell conflicts',
    setup: "CREATE TABLE stock(shop TEXT, sku TEXT, qty INTEGER, price REAL, PRIMARY KEY(shop, sku)) WITHOUT ROWID; INSERT INTO stock VALUES ('a','x',1,1.5),('a','y',2,2.5),('b','x',3,3.5);",
    theirs: "UPDATE stock SET qty = 10 WHERE shop = 'a' AND sku = 'x'; UPDATE stock SET qty = 30 WHERE shop = 'b';",
    yours: "UPDATE stock SET price = 9.5 WHERE shop = 'a' AND sku = 'x'; UPDATE stock SET qty = 31 WHERE shop = 'b';",
    conflicts: ['same-cell stock {"shop":"b","sku":"x"} .qty'],
    cleanlyMerged: 1,
  },
  {
    name: 'a table without primary key pairs rows by rowid',
    setup: "CREATE TABLE log(at INTEGER, line TEXT); INSERT INTO log VALUES (1,'a'),(2,'b'),(3,'c');",
    theirs: "UPDATE log SET line = 'B' WHERE at = 2; DELETE FROM log WHERE at = 3;",
    yours: "UPDATE log SET line = 'bee' WHERE at = 2; UPDATE log SET line = 'C' WHERE at = 3;",
    conflicts: ['same-cell log {"rowid":"2"} .line', 'deleted-by-theirs-changed-by-yours log {"rowid":"3"}'],
    cleanlyMerged: 0,
  },
  {
    name: 'a table rebuilt on one side (a column dropped): rows still compared cell by cell',
    setup: PEOPLE,
    theirs: 'ALTER TABLE people DROP COLUMN city; UPDATE people SET age = 99 WHERE id = 3;',
    yours: "UPDATE people SET city = 'paris' WHERE id = 1; UPDATE people SET name = 'turing' WHERE id = 2; UPDATE people SET age = 86, name = 'hopper' WHERE id = 3;",
    conflicts: ['same-cell people {"id":"1"} .city', 'same-cell people {"id":"3"} .age'],
    cleanlyMerged: 0,
  },
  {
    name: 'a table dropped on one side, its rows changed on the other',
    setup: PEOPLE,
    theirs: "UPDATE people SET age = 1 WHERE id = 1; UPDATE people SET city = 'x' WHERE id = 3; INSERT INTO people VALUES (9,'new',1,'y');",
    yours: 'DROP TABLE people;',
    conflicts: ['changed-by-theirs-deleted-by-yours people {"id":"1"}', 'changed-by-theirs-deleted-by-yours people {"id":"3"}', 'changed-by-theirs-deleted-by-yours people {"id":"9"}'],
    cleanlyMerged: 0,
  },
  { name: 'a table dropped on one side, its schema changed on the other: conflict', setup: PEOPLE, theirs: 'CREATE INDEX people_age ON people(age);', yours: 'DROP TABLE people;', conflicts: ['schema-both people'], cleanlyMerged: 0 },
  { name: 'a view changed differently on both sides: conflict', setup: `${PEOPLE} CREATE VIEW old AS SELECT * FROM people WHERE age > 50;`, theirs: 'DROP VIEW old; CREATE VIEW old AS SELECT * FROM people WHERE age > 60;', yours: 'DROP VIEW old;', conflicts: ['schema-both old'], cleanlyMerged: 0 },
  {
    name: 'the same new table on both sides, rows compared by key',
    setup: PEOPLE,
    theirs: "CREATE TABLE tags(id INTEGER PRIMARY KEY, tag TEXT); INSERT INTO tags VALUES (1,'a'),(2,'b');",
    yours: "CREATE TABLE tags(id INTEGER PRIMARY KEY, tag TEXT); INSERT INTO tags VALUES (1,'a'),(2,'c'),(3,'d');",
    conflicts: ['insert-same-key tags {"id":"2"}'],
    cleanlyMerged: 1,
  },
];

describe('compareThreeWay: cell-level three-way comparison on real SQLite files', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const report = await threeWay(c.setup, c.theirs, c.yours);
      assert.deepEqual(report.conflicts.map(outline), c.conflicts);
      assert.equal(report.cleanlyMerged, c.cleanlyMerged);
    });
  }

  it('carries the three values of a conflicting cell, and the rows of row conflicts', async () => {
    const report = await threeWay(PEOPLE, "UPDATE people SET age = 37 WHERE id = 1; DELETE FROM people WHERE id = 2; INSERT INTO people VALUES (4,'e',1,NULL);", "UPDATE people SET age = 38 WHERE id = 1; UPDATE people SET city = 'x' WHERE id = 2; INSERT INTO people VALUES (4,'e',2,NULL);");
    assert.deepEqual(report.conflicts, [
      { kind: 'same-cell', table: 'people', key: { id: int(1) }, column: 'age', ancestor: int(36), theirs: int(37), yours: int(38) },
      {
        kind: 'deleted-by-theirs-changed-by-yours',
        table: 'people',
        key: { id: int(2) },
        ancestor: { id: int(2), name: text('alan'), age: int(41), city: text('wilmslow') },
        yours: { id: int(2), name: text('alan'), age: int(41), city: text('x') },
      },
      {
        kind: 'insert-same-key',
        table: 'people',
        key: { id: int(4) },
        theirs: { id: int(4), name: text('e'), age: int(1), city: null },
        yours: { id: int(4), name: text('e'), age: int(2), city: null },
      },
    ]);
  });

  it('a column one side dropped has no value on that side', async () => {
    const report = await threeWay(PEOPLE, 'ALTER TABLE people DROP COLUMN city;', "UPDATE people SET city = 'paris' WHERE id = 1;");
    assert.deepEqual(report.conflicts, [{ kind: 'same-cell', table: 'people', key: { id: int(1) }, column: 'city', ancestor: text('london'), yours: text('paris') }]);
  });

  it('summarises what each side changed, per table', async () => {
    const report = await threeWay(
      `${PEOPLE} CREATE TABLE pets(id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE gone(x);`,
      "UPDATE people SET age = 1; DELETE FROM people WHERE id = 3; INSERT INTO pets VALUES (1, 'rex');",
      'ALTER TABLE people ADD COLUMN email TEXT; DROP TABLE gone;',
    );
    assert.deepEqual(
      report.theirs.tables.map((t) => [t.table, t.inserted, t.updated, t.deleted, t.schemaChanges.map((c) => c.kind).join()]),
      [
        ['people', 0, 2, 1, ''],
        ['pets', 1, 0, 0, ''],
      ],
    );
    assert.deepEqual(
      report.yours.tables.map((t) => [t.table, t.inserted, t.updated, t.deleted, t.schemaChanges.map((c) => c.kind).join()]),
      [
        ['gone', 0, 0, 0, 'table-dropped'],
        ['people', 0, 0, 0, 'columns-added'],
      ],
    );
    assert.deepEqual(report.conflicts, []);
  });

  it('ignores b2m\'s own table and sqlite_sequence', async () => {
    const report = await threeWay(
      "CREATE TABLE _b2m_migrations(id TEXT PRIMARY KEY, name TEXT); CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, v); INSERT INTO t(v) VALUES ('a');",
      "INSERT INTO _b2m_migrations VALUES ('1', 'theirs'); INSERT INTO t(id, v) VALUES (5, 'x');",
      "INSERT INTO _b2m_migrations VALUES ('1', 'yours'); INSERT INTO t(id, v) VALUES (7, 'y');",
    );
    assert.deepEqual(report.conflicts, []);
  });
});
