import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Team, finished, sqlMigration } from '../../support/team';

/**
 * Several developers sync at the same time until every migration is in the head exactly once,
 * with a linear history: each version's parent is the version before it.
 */
async function raceToPublish(developers: number, migrationsEach: number): Promise<void> {
  const names = Array.from({ length: developers }, (_, i) => `dev${i + 1}`);
  const team = await Team.start({ developers: ['founder', ...names], lock: { leaseSeconds: 20, settleSeconds: 1.5, maxUploadSeconds: 1 } });
  try {
    await team.dev('founder').publishFirstVersion('CREATE TABLE log(id INTEGER PRIMARY KEY, author TEXT, n INTEGER);');

    const expected: string[] = [];
    for (const name of names) {
      const dev = team.dev(name);
      assert.equal((await dev.run(['download'])).code, 0);
      for (let n = 0; n < migrationsEach; n++) {
        const path = await dev.writeMigration(`${name} step ${n}`, sqlMigration(`INSERT INTO log(author, n) VALUES ('${name}', ${n});`));
        expected.push(path.split('/').pop()!.slice(0, 23));
      }
    }
    const runs = names.map((name) => finished(team.dev(name).start(['sync', '--wait', '120']), 180_000));
    const results = await Promise.all(runs);
    results.forEach((r, i) => assert.equal(r.code, 0, `${names[i]}: ${r.stderr}`));

    const applied = await team.headMigrations();
    assert.deepEqual([...applied].sort(), [...expected].sort(), 'every migration is in the head exactly once');
    assert.equal(new Set(applied).size, applied.length);
    const rows = (await team.headQuery('SELECT count(*) FROM log')).trim();
    assert.equal(rows, String(developers * migrationsEach), 'each migration ran once');
    for (const name of names) {
      const mine = applied.filter((id) => expected.includes(id) && team.dev(name).scripts().some((s) => s.startsWith(id)));
      assert.deepEqual(mine, [...mine].sort(), `${name}'s migrations were applied in id order`);
    }
    const versions = await team.versions();
    assert.equal(versions.length, 1 + developers, 'one version per developer plus the first');
    for (let i = 0; i < versions.length - 1; i++) assert.equal(versions[i]!.parent, versions[i + 1]!.id, 'linear history');
    assert.deepEqual(await team.lockFiles(), []);
    const rebuilt = results.filter((r) => /rebuilding|rebuilt|Waiting for the lock|rebased/.test(r.stderr + r.stdout)).length;
    console.log(`${developers} developers: ${rebuilt} of them waited or rebuilt on a newer head`);
  } finally {
    await team.close();
  }
}

describe('concurrent syncs through the real CLI', () => {
  test('two developers', () => raceToPublish(2, 2));
  test('five developers', () => raceToPublish(5, 1));
});
