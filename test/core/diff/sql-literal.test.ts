import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { realLiteral, sqlLiteral, textLiteral } from '../../../src/core/diff/sql/sql-literal';
import { sqlIdentifier } from '../../../src/core/diff/sql/identifiers';
import type { SqlValue } from '../../../src/core/diff/types';
import { sqlite3, tableContents, tempFolder } from './helpers';

const folder = tempFolder();
after(() => folder.cleanup());

/** Stores each literal with the sqlite3 shell, reads it back exactly (typeof:value). */
async function storedByShell(literals: string[]): Promise<string[]> {
  const path = folder.path(`literals-${Math.random().toString(36).slice(2)}.db`);
  sqlite3(path, `CREATE TABLE t(i INTEGER PRIMARY KEY, v);\nBEGIN;\n${literals.map((l, i) => `INSERT INTO t VALUES(${i},${l});`).join('\n')}\nCOMMIT;\n`);
  const rows = (await tableContents(path)).get('t')!;
  return rows.sort((x, y) => Number(x.split('|')[0]!.split(':')[1]) - Number(y.split('|')[0]!.split(':')[1])).map((r) => r.split('|')[1]!);
}

function bits(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16);
}

describe('sqlLiteral', () => {
  it('writes NULL, integers, blobs and text like sqldiff', () => {
    const cases: [SqlValue, string][] = [
      [null, 'NULL'],
      [{ type: 'integer', value: '0' }, '0'],
      [{ type: 'integer', value: '-9223372036854775808' }, '-9223372036854775808'],
      [{ type: 'integer', value: '9223372036854775807' }, '9223372036854775807'],
      [{ type: 'blob', hex: '00ff10' }, "x'00ff10'"],
      [{ type: 'blob', hex: '' }, "X''"],
      [{ type: 'text', value: '' }, "''"],
      [{ type: 'text', value: "it's" }, "'it''s'"],
      [{ type: 'text', value: 'a\nb' }, "'a'||X'0a'\n||'b'"],
      [{ type: 'text', value: 'q\t\u0001z' }, "'q'||X'0901'\n||'z'"],
      [{ type: 'text', value: '\n' }, "''||X'0a'"],
      [{ type: 'text', value: "x\u007f'" }, "'x'||X'7f'\n||''''"],
      [{ type: 'text', value: 'ünï €𝄞' }, "'ünï €𝄞'"],
      [{ type: 'real', value: 'Infinity' }, '9e999'],
      [{ type: 'real', value: '-Infinity' }, '-9e999'],
    ];
    for (const [value, expected] of cases) assert.equal(sqlLiteral(value), expected, JSON.stringify(value));
  });

  it('writes doubles as the shortest decimal, kept REAL', () => {
    assert.equal(realLiteral(0.1), '0.1');
    assert.equal(realLiteral(1), '1.0');
    assert.equal(realLiteral(-2), '-2.0');
    assert.equal(realLiteral(1.5e-7), '1.5e-7');
    assert.equal(realLiteral(-0), '-0.0');
    assert.equal(realLiteral(0), '0.0');
    assert.equal(realLiteral(0.30000000000000004), '0.30000000000000004');
    assert.equal(realLiteral(1e21), '1e+21');
  });

  it('writes doubles that SQLite 3.40 may misread as an exact product', () => {
    assert.match(realLiteral(7.996399292406152e-233), /^\(\d+\.0(\/\d+)+\)$/);
    assert.match(realLiteral(-1.6156658770192221e-292), /^\(-\d+\.0(\/\d+)+\)$/);
    assert.equal(realLiteral(5e-324), `(1.0${'/4611686018427387904'.repeat(17)}/1048576)`);
    assert.match(realLiteral(1e308), /^\(156575653125701\.0(\*\d+)+\)$/);
  });

  it('round-trips every kind of value through the sqlite3 shell, type for type', async () => {
    const values: SqlValue[] = [
      null,
      { type: 'integer', value: '9223372036854775807' },
      { type: 'integer', value: '-9223372036854775808' },
      { type: 'integer', value: '9007199254740993' },
      { type: 'text', value: "a'b\n\u0000c\u001f\u007fü𝄞" },
      { type: 'text', value: '' },
      { type: 'blob', hex: '' },
      { type: 'blob', hex: '00ff' },
    ];
    const stored = await storedByShell(values.map((v) => sqlLiteral(v)));
    assert.deepEqual(stored, [
      'null:null',
      'integer:9223372036854775807',
      'integer:-9223372036854775808',
      'integer:9007199254740993',
      `text:${Buffer.from("a'b\n\u0000c\u001f\u007fü𝄞").toString('hex').toUpperCase()}`,
      'text:',
      'blob:',
      'blob:00FF',
    ]);
  });

  it('round-trips doubles through the sqlite3 shell bit for bit', async () => {
    const doubles = [0.1, 1, 1e308, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 7.996399292406152e-233, -1.6156658770192221e-292, 0.30000000000000004, 123456.789, -1e-300, 9007199254740992, Infinity, -Infinity];
    let seed = 42;
    const view = new DataView(new ArrayBuffer(8));
    while (doubles.length < 3000) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      view.setUint32(0, seed);
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      view.setUint32(4, seed);
      const x = view.getFloat64(0);
      if (Number.isFinite(x) && x !== 0) doubles.push(x);
    }
    const stored = await storedByShell(doubles.map((d) => realLiteral(d)));
    const wrong = doubles.filter((d, i) => stored[i] !== `real:${bits(d)}`).map((d) => `${d} written ${realLiteral(d)}`);
    assert.deepEqual(wrong, []);
  });

  it('textLiteral leaves plain text alone', () => {
    assert.equal(textLiteral('plain'), "'plain'");
  });

  it('writes text as its bytes cast to TEXT where sqldiff\'s form would be too deep, or wrong', () => {
    const lines = (n: number) => Array.from({ length: n + 1 }, (_, i) => `l${i}`).join('\n');
    assert.equal(textLiteral(lines(100)).split('||').length, 201, '100 runs: sqldiff form');
    assert.equal(textLiteral(lines(101)), `CAST(X'${Buffer.from(lines(101)).toString('hex')}' AS TEXT)`);
    assert.equal(textLiteral('a\nb', 'UTF-16le'), "CAST(X'61000a006200' AS TEXT)");
    assert.equal(textLiteral('a\nb', 'UTF-16be'), "CAST(X'0061000a0062' AS TEXT)");
    assert.equal(textLiteral("it's", 'UTF-16le'), "'it''s'", 'no control character: quoted in any encoding');
    assert.equal(sqlLiteral({ type: 'text', value: 'a\ufffdb', hex: '61ff62' }), "CAST(X'61ff62' AS TEXT)");
  });
});

describe('sqlIdentifier', () => {
  it('quotes only what sqldiff quotes', () => {
    assert.equal(sqlIdentifier('abc_1'), 'abc_1');
    assert.equal(sqlIdentifier('_x'), '_x');
    assert.equal(sqlIdentifier('select'), '"select"');
    assert.equal(sqlIdentifier('Order'), '"Order"');
    assert.equal(sqlIdentifier('rowid'), 'rowid');
    assert.equal(sqlIdentifier('1abc'), '"1abc"');
    assert.equal(sqlIdentifier('na me'), '"na me"');
    assert.equal(sqlIdentifier('a"b'), '"a""b"');
    assert.equal(sqlIdentifier('ü'), '"ü"');
    assert.equal(sqlIdentifier(''), '""');
  });
});
