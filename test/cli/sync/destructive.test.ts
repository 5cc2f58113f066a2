import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Team, sqlMigration } from '../../support/team';

/** Issue 11: a sync shows migrations that destroy data and publishes them only when confirmed. */
describe('destructive changes in a sync', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['gil'] });
    const gil = team.dev('gil');
    await gil.publishFirstVersion("CREATE TABLE logs(id INTEGER PRIMARY KEY, line TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO logs(line) SELECT 'line ' || i FROM n;");
  });
  after(() => team.close());

  test('a DELETE without WHERE is shown and not published unless confirmed with --yes', async () => {
    const gil = team.dev('gil');
    await gil.writeMigration('clear logs', sqlMigration('DELETE FROM logs;'));
    const before = (await team.versions()).length;
    team.b2.server.requests.clear();
    const refused = await gil.run(['sync']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /warning: Every row of table logs is deleted \(50 rows\)\./);
    assert.match(refused.stderr, /destroy data in app\.db .* nothing was published/);
    assert.match(refused.stderr, /hint: .*--yes/);
    assert.equal((await team.versions()).length, before, 'nothing published');
    assert.deepEqual(await team.lockFiles(), []);
    // Only the new version's manifest went up (kept: it is named by content, as for any publish); no lock was taken and released.
    assert.equal(team.b2.server.requests.of('b2_upload_file').length, 1, 'a refused sync took the lock');
    const lockOrVersion = ['b2_start_large_file', 'b2_delete_file_version', 'b2_hide_file'].flatMap((call) => team.b2.server.requests.of(call));
    assert.deepEqual(lockOrVersion, [], 'a refused sync took the lock or started a version');
    assert.doesNotMatch(refused.stderr, /Locking/);

    const confirmed = await gil.run(['sync', '--yes', '--json']);
    assert.equal(confirmed.code, 0, confirmed.stderr);
    const outcome = JSON.parse(confirmed.stdout) as { destructive: Array<{ kind: string; table: string }> };
    assert.deepEqual(outcome.destructive.map((w) => [w.kind, w.table]), [['all-rows-deleted', 'logs']]);
    assert.equal((await team.headQuery('SELECT count(*) FROM logs')).trim(), '0');
  });

  test('an ordinary migration asks nothing', async () => {
    const gil = team.dev('gil');
    await gil.writeMigration('one more line', sqlMigration("INSERT INTO logs(line) VALUES ('kept');"));
    const run = await gil.run(['sync', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as { destructive: unknown[] }).destructive, []);
  });
});
