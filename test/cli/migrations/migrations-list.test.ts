import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Team, sqlMigration } from '../../support/team';

interface Listed {
  database: string;
  against: string;
  version?: { number: number };
  scripts: { id: string; fileName: string; state: string; path?: string }[];
}

/** `b2m migrations list` lists applied scripts too, read from the head as status reads them. */
describe('b2m migrations list', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['dora', 'eli'] });
    const dora = team.dev('dora');
    await dora.publishFirstVersion('CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);');
    await dora.writeMigration('first row', sqlMigration("INSERT INTO t(v) VALUES ('a');"));
    await dora.writeMigration('second row', sqlMigration("INSERT INTO t(v) VALUES ('b');"));
    assert.equal((await dora.run(['sync'])).code, 0);
  });
  after(() => team.close());

  test('marks each script applied in the head or pending, in id order, with --json', async () => {
    const dora = team.dev('dora');
    const pendingPath = await dora.writeMigration('third row', sqlMigration("INSERT INTO t(v) VALUES ('c');"));
    const run = await dora.run(['migrations', 'list']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^app\.db: 2 applied, 1 pending; applied means recorded in the head v2 by dora, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    assert.match(lines[1] ?? '', /^ {2}applied {2}scripts\/\d{23}_first_row\.py$/);
    assert.match(lines[2] ?? '', /^ {2}applied {2}scripts\/\d{23}_second_row\.py$/);
    assert.equal(lines[3], `  pending  scripts/${basename(pendingPath)}`);

    const json = JSON.parse((await dora.run(['migrations', 'list', '--json'])).stdout) as Listed;
    assert.equal(json.against, 'head');
    assert.equal(json.version?.number, 2);
    assert.deepEqual(json.scripts.map((s) => s.state), ['applied', 'applied', 'pending']);
    assert.equal(json.scripts[2]?.path, pendingPath);
  });

  test('from the head, not the local copy: a developer who never downloaded it sees what the head has', async () => {
    team.share('dora', 'eli');
    const json = JSON.parse((await team.dev('eli').run(['migrations', 'list', '--json'])).stdout) as Listed;
    assert.equal(json.against, 'head');
    assert.deepEqual(json.scripts.map((s) => s.state), ['applied', 'applied', 'pending']);
  });

  test('a script edited after it was applied is "changed"; one whose file is gone is "missing"', async () => {
    const dora = team.dev('dora');
    const listed = JSON.parse((await dora.run(['migrations', 'list', '--json'])).stdout) as Listed;
    const [first, second] = listed.scripts;
    writeFileSync(first!.path!, `${sqlMigration("INSERT INTO t(v) VALUES ('edited');")}\n`);
    renameSync(second!.path!, join(team.root, 'elsewhere.py'));
    const run = await dora.run(['migrations', 'list']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^app\.db: 0 applied, 1 pending, 1 changed, 1 missing; /);
    assert.match(run.stdout, new RegExp(`^ {2}changed {2}scripts/${first!.fileName} \\(applied, then edited: the edit never runs\\)$`, 'm'));
    assert.match(run.stdout, new RegExp(`^ {2}missing {2}${second!.fileName} \\(applied, but no file here: deleted, renamed or not pulled yet\\)$`, 'm'));
  });
});
