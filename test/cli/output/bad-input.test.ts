import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Team } from '../../support/team';

/** Every bad input gets a clear message with a next step, a documented exit code, and changes nothing. */
describe('bad input through the real CLI', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['hana'] });
  });
  after(() => team.close());

  test('wrong credentials: exit 6, the key is never printed', async () => {
    const r = await team.dev('hana').run(['status'], { env: { B2_APPLICATION_KEY: 'not-the-key-0123456789' } });
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /error: .*(unauthorized|refused|credentials|key)/i);
    assert.match(r.stderr, /hint: /);
    assert.doesNotMatch(r.stderr + r.stdout, /not-the-key-0123456789/);
  });

  test('missing credentials: exit 6 naming the variables', async () => {
    const r = await team.dev('hana').run(['history'], { env: { B2_APPLICATION_KEY_ID: '', B2_APPLICATION_KEY: '' } });
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /B2_APPLICATION_KEY_ID/);
  });

  test('a bucket that does not exist: exit 2 naming it', async () => {
    const hana = team.dev('hana');
    const config = join(hana.dir, 'b2m.json');
    const { readFileSync } = await import('node:fs');
    const original = readFileSync(config, 'utf8');
    writeFileSync(config, JSON.stringify({ ...JSON.parse(original), bucket: 'no-such-bucket' }));
    try {
      const r = await hana.run(['status']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /The bucket "no-such-bucket" does not exist/);
    } finally {
      writeFileSync(config, original);
    }
  });

  test('a local file that is not SQLite: exit 2, file untouched', async () => {
    const hana = team.dev('hana');
    writeFileSync(hana.dbPath, 'just some text, not a database\n');
    try {
      const r = await hana.run(['sync']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /not a SQLite database/);
      const { readFileSync } = await import('node:fs');
      assert.equal(readFileSync(hana.dbPath, 'utf8'), 'just some text, not a database\n');
      assert.deepEqual(await team.versions(), []);
    } finally {
      rmSync(hana.dbPath);
    }
  });

  test('no b2m.json: exit 2 with the init command to run', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'b2m-empty-'));
    try {
      const { spawnSync } = await import('node:child_process');
      const { CLI } = await import('../../support/team');
      const r = spawnSync(process.execPath, [CLI, 'status'], { cwd: empty, encoding: 'utf8' });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /No b2m\.json found/);
      assert.match(r.stderr, /b2m init/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('unknown commands, options and databases are refused with usage', async () => {
    const hana = team.dev('hana');
    const unknown = await hana.run(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const option = await hana.run(['sync', '--frobnicate']);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /b2m sync --help/);
    const db = await hana.run(['download', 'nope.db']);
    assert.equal(db.code, 2);
    assert.match(db.stderr, /Unknown database "nope\.db"/);
    const phrase = await hana.run(['migrations', 'create', '!!!']);
    assert.equal(phrase.code, 2, phrase.stderr);
  });

  test('every command has --help', async () => {
    const hana = team.dev('hana');
    for (const command of ['init', 'status', 'download', 'migrations create', 'migrations list', 'migrations test', 'capture', 'sync', 'lock', 'unlock', 'force-unlock', 'history', 'restore', 'diff', 'server', 'check']) {
      const r = await hana.run([...command.split(' '), '--help']);
      assert.equal(r.code, 0, `${command}: ${r.stderr}`);
      assert.match(r.stdout, /Usage: b2m /, command);
    }
  });
});
