import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Team, sqlMigration, type RunResult } from '../../support/team';

const TIME = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC`;
const BACKUP = /^ {2}previous local file kept at (\.b2m\/backups\/app\.db\.\S+\.db)$/m;

/** What sync, download, restore and migrations test say: one wording, versions as vN with time, each backup said once. */
describe('what the commands say they did', () => {
  let team: Team;
  const outputs: RunResult[] = [];
  before(async () => {
    team = await Team.start({ developers: ['fay', 'gus'] });
    const fay = team.dev('fay');
    await fay.publishFirstVersion("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('a');");
  });
  after(() => team.close());

  const run = async (who: string, args: string[]): Promise<RunResult> => {
    const result = await team.dev(who).run(args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    outputs.push(result);
    return result;
  };

  /** The backup the output reports, once, as a result and never as a warning; the file is there. */
  const reportedBackup = (who: string, result: RunResult): string => {
    const text = `${result.stdout}${result.stderr}`;
    assert.equal(text.split('kept at').length - 1, 1, `one report of the backup: ${text}`);
    assert.doesNotMatch(result.stderr, /^warning:/m);
    const path = BACKUP.exec(result.stdout)?.[1];
    assert.ok(path && existsSync(join(team.dev(who).dir, path)), `the backup exists: ${result.stdout}`);
    return path;
  };

  test('sync: "up to date with vN" or "Published vN", then what moved, in one wording', async () => {
    const upToDate = await run('fay', ['sync']);
    assert.match(upToDate.stdout, new RegExp(`^app\\.db is up to date with v1 by fay, ${TIME}: nothing to push, nothing downloaded\\.$`, 'm'));

    assert.equal((await team.dev('gus').run(['download'])).code, 0);
    await team.dev('fay').writeMigration('add b', sqlMigration("INSERT INTO t(v) VALUES ('b');"));
    const published = await run('fay', ['sync']);
    assert.match(published.stdout, new RegExp(`^Published app\\.db v2 by fay, ${TIME}: uploaded .+, nothing downloaded\\.$`, 'm'));

    const updated = await run('gus', ['sync']);
    assert.match(updated.stdout, new RegExp(`^app\\.db is up to date with v2 by fay, ${TIME}: nothing to push, downloaded \\d.* of .+\\.$`, 'm'));
  });

  test('download over uncaptured edits (--force): the new version, what moved, and the backup once', async () => {
    const gus = team.dev('gus');
    gus.sql("INSERT INTO t(v) VALUES ('uncaptured');");
    const forced = await run('gus', ['download', '--force', '--version', 'v1']);
    assert.match(forced.stdout, new RegExp(`^app\\.db now is v1 by fay, ${TIME}: (downloaded .+|nothing downloaded \\(a copy was cached here\\))\\.$`, 'm'));
    reportedBackup('gus', forced);
    const again = await run('gus', ['download', '--version', 'v1']);
    assert.match(again.stdout, new RegExp(`^app\\.db already is v1 by fay, ${TIME}: nothing downloaded`));
  });

  test('migrations test --apply and restore report the backup of what they replaced once', async () => {
    const gus = team.dev('gus');
    assert.equal((await gus.run(['download'])).code, 0);
    team.share('fay', 'gus');
    await gus.writeMigration('add c', sqlMigration("INSERT INTO t(v) VALUES ('c');"));
    await run('gus', ['migrations', 'test', '--apply']); // the local file was the head: no backup needed
    await gus.writeMigration('add d', sqlMigration("INSERT INTO t(v) VALUES ('d');"));
    reportedBackup('gus', await run('gus', ['migrations', 'test', '--apply']));

    const restored = await run('gus', ['restore', 'app.db', 'v1', '--yes']);
    assert.match(restored.stdout, new RegExp(`^Restored app\\.db to the content of v1 by fay, ${TIME}: the new head is v3 by gus, ${TIME}\\.$`, 'm'));
    reportedBackup('gus', restored);
  });

  test('no full version id in any text for people (they are in --json)', async () => {
    for (const args of [['status'], ['history'], ['migrations', 'list'], ['download', '--version', 'v2', '--force'], ['diff', 'v1', 'head', '--summary']]) await run('gus', args);
    const ids = (await team.versions()).map((v) => v.id);
    assert.equal(ids.length, 3);
    for (const output of outputs) for (const id of ids) assert.ok(!`${output.stdout}${output.stderr}`.includes(id), `no version id in: ${output.stdout}${output.stderr}`);
    const history = JSON.parse((await team.dev('gus').run(['history', '--json'])).stdout) as { id: string }[];
    assert.deepEqual(history.map((v) => v.id), ids);
  });
});
