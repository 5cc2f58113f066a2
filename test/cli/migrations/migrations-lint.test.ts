import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Team, sqlMigration } from '../../support/team';

describe('b2m migrations test: warnings about destructive changes', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['cy'] });
    const cy = team.dev('cy');
    await cy.publishFirstVersion("CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, price INTEGER); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8) INSERT INTO items SELECT i, 'item ' || i, i * 100 FROM n;");
  });
  after(() => team.close());

  test('measured on the result, printed as warnings and listed in --json', async () => {
    const cy = team.dev('cy');
    await cy.writeMigration('reprice', sqlMigration('UPDATE items SET price = price * 2; DELETE FROM items WHERE id > 3;'));
    const tested = await cy.run(['migrations', 'test']);
    assert.equal(tested.code, 0, tested.stderr);
    assert.match(tested.stderr, /^warning: 62% of the rows of table items are deleted \(5 of 8\)\. Check the WHERE clause/m);
    const json = JSON.parse((await cy.run(['migrations', 'test', '--json'])).stdout) as { warnings: { kind: string }[] };
    assert.deepEqual(json.warnings.map((w) => w.kind), ['many-rows-deleted']);
  });
});
