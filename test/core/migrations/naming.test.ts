import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadInputError } from '../../../src/core/errors';
import {
  MalformedMigrationNameError,
  migrationFileName,
  migrationIdTime,
  newMigrationId,
  nextMigrationId,
  normalisePhrase,
  parseMigrationFileName,
} from '../../../src/core/migrations/naming';

const AT_2024_01_02_03_04_05_123456789 = BigInt(Date.UTC(2024, 0, 2, 3, 4, 5)) * 1_000_000n + 123_456_789n;

describe('newMigrationId', () => {
  it('formats the clock as UTC YYYYMMDDHHMMSS plus 9 digits of nanoseconds', () => {
    assert.equal(newMigrationId(() => AT_2024_01_02_03_04_05_123456789), '20240102030405123456789');
  });

  it('uses the current UTC time by default', () => {
    const id = newMigrationId();
    assert.match(id, /^\d{23}$/);
    const field = (start: number, end: number): number => Number(id.slice(start, end));
    const at = Date.UTC(field(0, 4), field(4, 6) - 1, field(6, 8), field(8, 10), field(10, 12), field(12, 14));
    assert.ok(Math.abs(Date.now() - at) < 60_000, `${id} is not now`);
  });

  it('gives 1,000 strictly increasing ids in a tight loop', () => {
    const ids = Array.from({ length: 1000 }, () => newMigrationId());
    for (let i = 1; i < ids.length; i++) assert.ok((ids[i] ?? '') > (ids[i - 1] ?? ''), `${ids[i]} after ${ids[i - 1]}`);
    assert.equal(new Set(ids).size, 1000);
    assert.ok(ids.every((id) => /^\d{23}$/.test(id)));
  });

  it('stays strictly increasing when the clock stands still or goes back', () => {
    let now = AT_2024_01_02_03_04_05_123456789;
    const clock = (): bigint => now;
    const first = newMigrationId(clock);
    const second = newMigrationId(clock);
    now -= 5_000_000_000n;
    const third = newMigrationId(clock);
    assert.deepEqual([first, second, third], ['20240102030405123456789', '20240102030405123456790', '20240102030405123456791']);
  });
});

describe('nextMigrationId', () => {
  it('adds one nanosecond, carrying into seconds, days and years', () => {
    assert.equal(nextMigrationId('20240102030405123456789'), '20240102030405123456790');
    assert.equal(nextMigrationId('20241231235959999999999'), '20250101000000000000000');
    assert.equal(nextMigrationId('20240228235959999999999'), '20240229000000000000000');
  });
});

describe('migrationIdTime', () => {
  it('is the moment an id was written, to the second', () => {
    assert.equal(migrationIdTime('20240102030405123456789'), Date.UTC(2024, 0, 2, 3, 4, 5));
    assert.equal(migrationIdTime('20241231235959999999999'), Date.UTC(2024, 11, 31, 23, 59, 59));
  });

  it('is undefined for anything but a valid 23-digit id', () => {
    for (const id of ['', 'abc', '2024010203040512345678', '202401020304051234567890', '20241302030405123456789', '20240230030405123456789', '2024010203040512345678x', ' 20240102030405123456789', '-2024010203040512345678']) {
      assert.equal(migrationIdTime(id), undefined, JSON.stringify(id));
    }
  });
});

describe('normalisePhrase', () => {
  it('lower-cases, turns spaces and dashes into _ and strips the rest', () => {
    assert.equal(normalisePhrase('Add users table'), 'add_users_table');
    assert.equal(normalisePhrase('  fix-the  "price" column!! '), 'fix_the_price_column');
    assert.equal(normalisePhrase('Café crème 2'), 'cafe_creme_2');
    assert.equal(normalisePhrase('tab\tand\nnewline'), 'tab_and_newline');
    assert.equal(normalisePhrase('already_ok_123'), 'already_ok_123');
    assert.equal(normalisePhrase('__a__--__b__'), 'a_b');
  });

  it('rejects a phrase with nothing usable, saying what is allowed', () => {
    for (const text of ['', '   ', '!!!', '---', '日本語', '🚀']) {
      assert.throws(() => normalisePhrase(text), (e: unknown) => {
        assert.ok(e instanceof BadInputError, text);
        assert.match(`${e.message} ${e.hint}`, /letters a-z, digits 0-9, spaces, dashes or underscores/);
        return true;
      });
    }
  });

  it('rejects a phrase too long for a file name', () => {
    assert.throws(() => normalisePhrase('x'.repeat(101)), BadInputError);
    assert.equal(normalisePhrase('x'.repeat(100)), 'x'.repeat(100));
  });
});

describe('parseMigrationFileName', () => {
  it('splits a valid name into id and phrase', () => {
    assert.deepEqual(parseMigrationFileName('20240102030405123456789_add_users.py'), { id: '20240102030405123456789', phrase: 'add_users' });
    assert.equal(migrationFileName('20240102030405123456789', 'add_users'), '20240102030405123456789_add_users.py');
  });

  const malformed: [string, RegExp][] = [
    ['add_users.py', /numeric id/],
    ['2024010203040512345678_add_users.py', /22 digits instead of 23/],
    ['202401020304051234567890_add_users.py', /24 digits instead of 23/],
    ['20241302030405123456789_add_users.py', /not a valid UTC date/],
    ['20240230030405123456789_add_users.py', /not a valid UTC date/],
    ['20240102250405123456789_add_users.py', /not a valid UTC date/],
    ['20240102030405123456789_Add_Users.py', /may only contain a-z, 0-9 and _/],
    ['20240102030405123456789_add-users.py', /may only contain/],
    ['20240102030405123456789_.py', /may only contain/],
    ['20240102030405123456789add_users.py', /numeric id followed by "_"/],
    ['20240102030405123456789_add_users.txt', /does not end in "\.py"/],
  ];
  for (const [fileName, reason] of malformed) {
    it(`rejects ${fileName}, naming it and the expected pattern`, () => {
      assert.throws(() => parseMigrationFileName(fileName), (e: unknown) => {
        assert.ok(e instanceof MalformedMigrationNameError);
        assert.ok(e instanceof BadInputError);
        assert.equal(e.fileName, fileName);
        assert.ok(e.message.includes(`"${fileName}"`));
        assert.match(e.message, reason);
        assert.match(e.message, /YYYYMMDDHHMMSS \+ 9 digits of nanoseconds/);
        return true;
      });
    });
  }
});
