import { test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKey, parseConfig, resolveDatabase } from '../../src/core/config';
import { BadInputError } from '../../src/core/errors';
import { insideRoot } from '../../src/core/paths';

test('parseConfig fills defaults', () => {
  const c = parseConfig({ bucket: 'team-bucket', databases: ['app.db'] });
  assert.equal(c.prefix, '');
  assert.equal(c.migrationsDir, 'scripts');
  assert.equal(c.python, 'python3');
  assert.deepEqual(c.lock, { leaseSeconds: 120, settleSeconds: 3, maxUploadSeconds: 2 });
  assert.equal(c.verify, undefined, 'verification is full unless b2m.json says "quick"');
});

test('parseConfig keeps "verify": "full" or "quick"', () => {
  assert.equal(parseConfig({ bucket: 'team-bucket', databases: ['app.db'], verify: 'quick' }).verify, 'quick');
  assert.equal(parseConfig({ bucket: 'team-bucket', databases: ['app.db'], verify: 'full' }).verify, 'full');
});

test('parseConfig normalises the prefix and keeps optional fields', () => {
  const c = parseConfig({ bucket: 'team-bucket', prefix: 'dbs', databases: ['a.db', 'b.sqlite'], endpoint: 'http://127.0.0.1:9779', webhookUrl: 'https://example.com/hook' });
  assert.equal(c.prefix, 'dbs/');
  assert.equal(c.endpoint, 'http://127.0.0.1:9779');
  assert.equal(c.webhookUrl, 'https://example.com/hook');
});

for (const [name, raw, field] of [
  ['no bucket', { databases: ['app.db'] }, 'bucket'],
  ['a bad bucket name', { bucket: 'a b', databases: ['app.db'] }, 'bucket'],
  ['no databases', { bucket: 'team-bucket', databases: [] }, 'databases'],
  ['a database in a folder', { bucket: 'team-bucket', databases: ['../etc/passwd'] }, 'databases[0]'],
  ['the same database twice', { bucket: 'team-bucket', databases: ['app.db', 'app.sqlite'] }, 'databases'],
  ['a prefix escaping upwards', { bucket: 'team-bucket', databases: ['app.db'], prefix: '../x' }, 'prefix'],
  ['a settle time shorter than uploads', { bucket: 'team-bucket', databases: ['app.db'], lock: { settleSeconds: 1, maxUploadSeconds: 2 } }, 'lock.settleSeconds'],
  ['a lease shorter than 3 settle times', { bucket: 'team-bucket', databases: ['app.db'], lock: { leaseSeconds: 5, settleSeconds: 3 } }, 'lock.leaseSeconds'],
  ['a non-numeric timeout', { bucket: 'team-bucket', databases: ['app.db'], migrationTimeoutSeconds: 'soon' }, 'migrationTimeoutSeconds'],
  ['a webhook that is not a URL', { bucket: 'team-bucket', databases: ['app.db'], webhookUrl: 'discord' }, 'webhookUrl'],
  ['an unknown verification', { bucket: 'team-bucket', databases: ['app.db'], verify: 'fast' }, 'verify'],
  ['a verification that is not a string', { bucket: 'team-bucket', databases: ['app.db'], verify: true }, 'verify'],
] as const) {
  test(`parseConfig refuses ${name}, naming the field`, () => {
    assert.throws(
      () => parseConfig(raw, 'b2m.json'),
      (e: unknown) => e instanceof BadInputError && e.message.includes(`"${field}"`) && e.message.startsWith('b2m.json'),
    );
  });
}

test('databases resolve by file name or key', () => {
  const c = parseConfig({ bucket: 'team-bucket', databases: ['app.db', 'stats.sqlite'] });
  assert.equal(resolveDatabase(c, 'stats'), 'stats.sqlite');
  assert.equal(resolveDatabase(c, 'app.db'), 'app.db');
  assert.throws(() => resolveDatabase(c, undefined), /Name a database/);
  assert.throws(() => resolveDatabase(c, 'nope'), /Unknown database "nope"/);
  assert.equal(databaseKey('app.db'), 'app');
  assert.equal(databaseKey('x.sqlite3'), 'x');
});

test('insideRoot refuses paths that escape the workspace', () => {
  assert.equal(insideRoot('/w', 'db/app.db'), '/w/db/app.db');
  assert.throws(() => insideRoot('/w', '../app.db'), BadInputError);
  assert.throws(() => insideRoot('/w', '/etc/passwd'), BadInputError);
  assert.throws(() => insideRoot('/w', 'a/../../b'), BadInputError);
});
