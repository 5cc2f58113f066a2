import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Team, type Developer } from '../../support/team';

interface Created {
  database: string;
  path: string;
}

/** `b2m migrations create [DB] PHRASE`, like `list DB` and `test DB`: a database named first is never part of the phrase. */
describe('b2m migrations create DB PHRASE', () => {
  let team: Team;
  let dev: Developer;
  before(async () => {
    team = await Team.start({ developers: ['cleo'], extraConfig: { databases: ['app.db', 'stats.db'] } });
    dev = team.dev('cleo');
  });
  after(() => team.close());

  const create = async (...args: string[]): Promise<Created> => {
    const run = await dev.run(['migrations', 'create', ...args, '--json']);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as Created;
  };

  test('the first word names the database, by key or file name', async () => {
    const stats = await create('stats', 'add', 'users');
    assert.equal(stats.database, 'stats.db');
    assert.equal(dirname(stats.path), join(dev.dir, 'scripts', 'stats'));
    assert.match(basename(stats.path), /^\d{23}_add_users\.py$/);

    const quoted = await create('stats add visits');
    assert.equal(quoted.database, 'stats.db', 'a quoted phrase that starts with a database names it too');
    assert.match(basename(quoted.path), /^\d{23}_add_visits\.py$/);

    const app = await create('app.db', 'add', 'orders');
    assert.equal(app.database, 'app.db');
    assert.equal(dirname(app.path), join(dev.dir, 'scripts'), 'the first database owns scripts/ itself');
    assert.match(basename(app.path), /^\d{23}_add_orders\.py$/);
  });

  test('--db still works', async () => {
    const created = await create('add', 'totals', '--db', 'stats');
    assert.equal(created.database, 'stats.db');
    assert.match(basename(created.path), /^\d{23}_add_totals\.py$/);
  });

  test('with several databases and none named, or two named, it asks which, and writes nothing', async () => {
    const before = dev.scripts().length;
    const unnamed = await dev.run(['migrations', 'create', 'add', 'users']);
    assert.equal(unnamed.code, 2, unnamed.stderr);
    assert.match(unnamed.stderr, /^error: Which database is it for\? This workspace has app\.db, stats\.db, and "add" names none of them\.$/m);
    assert.match(unnamed.stderr, /^hint: Name it first: "b2m migrations create app PHRASE"\.$/m);

    const twice = await dev.run(['migrations', 'create', 'stats', 'add', 'users', '--db', 'app']);
    assert.equal(twice.code, 2, twice.stderr);
    assert.match(twice.stderr, /^error: Both --db app and the first word "stats" name a database\.$/m);

    const noPhrase = await dev.run(['migrations', 'create', 'stats']);
    assert.equal(noPhrase.code, 2, noPhrase.stderr);
    assert.match(noPhrase.stderr, /^error: Missing a phrase naming the change/m);
    assert.equal(dev.scripts().length, before);
  });

  test('with one database, PHRASE alone will do, and its name first is still the database', async () => {
    const file = join(dev.dir, 'b2m.json');
    const config = readFileSync(file, 'utf8');
    writeFileSync(file, JSON.stringify({ ...(JSON.parse(config) as object), databases: ['app.db'] }));
    try {
      const alone = await create('add', 'prices');
      assert.equal(alone.database, 'app.db');
      assert.match(basename(alone.path), /^\d{23}_add_prices\.py$/);
      const named = await create('app', 'add', 'tax');
      assert.equal(named.database, 'app.db');
      assert.match(basename(named.path), /^\d{23}_add_tax\.py$/, 'not app_add_tax');
    } finally {
      writeFileSync(file, config);
    }
  });

  test('capture reads DB PHRASE the same way', async () => {
    const run = await dev.run(['capture', 'imported', 'prices']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^error: Which database is it for\? This workspace has app\.db, stats\.db/m);
    assert.match(run.stderr, /^hint: Name it first: "b2m capture app PHRASE"\.$/m);
  });
});
