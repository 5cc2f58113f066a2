import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Migration } from '../../../src/core/migrations/discover';
import { findScriptIssues } from '../../../src/core/migrations/integrity';
import type { RecordedMigration } from '../../../src/core/migrations/pending';

const ID1 = '20250101000000000000001';
const ID2 = '20250101000000000000002';
const ID3 = '20250101000000000000003';
const ID4 = '20250101000000000000004';

const script = (id: string, phrase: string, checksum = `sum-${id}`): Migration => ({
  id,
  phrase,
  fileName: `${id}_${phrase}.py`,
  path: `/repo/scripts/${id}_${phrase}.py`,
  checksum,
});
const recorded = (id: string, name: string, checksum = `sum-${id}`): RecordedMigration => ({ id, name, checksum });

describe('findScriptIssues', () => {
  it('finds nothing when the folder holds exactly what was recorded, plus newer scripts', () => {
    const scripts = [script(ID1, 'add_users'), script(ID2, 'add_email'), script(ID3, 'new_one')];
    assert.deepEqual(findScriptIssues(scripts, [recorded(ID1, 'add_users'), recorded(ID2, 'add_email')]), []);
  });

  it('finds nothing for a database that recorded nothing yet', () => {
    assert.deepEqual(findScriptIssues([script(ID2, 'b'), script(ID1, 'a')], []), []);
  });

  it('reports a script edited after it was applied', () => {
    const [issue, ...rest] = findScriptIssues([script(ID1, 'add_users', 'edited')], [recorded(ID1, 'add_users', 'original')], { recordedIn: 'the head (v3)' });
    assert.deepEqual(rest, []);
    assert.equal(issue?.kind, 'changed');
    assert.equal(issue?.fileName, `${ID1}_add_users.py`);
    assert.equal(issue?.message, `${ID1}_add_users.py was edited after it was applied to the head (v3): the edit never runs there.`);
    assert.match(issue!.hint, /Restore the script as it was applied .* new migration \("b2m migrations create"\)/);
  });

  it('reports a script renamed after it was applied (same id, another phrase), and names the recorded file', () => {
    const issues = findScriptIssues([script(ID1, 'create_people')], [recorded(ID1, 'add_users')]);
    assert.deepEqual(issues.map((i) => i.kind), ['renamed']);
    assert.match(issues[0]!.message, new RegExp(`^${ID1}_create_people\\.py was applied to the database as ${ID1}_add_users\\.py`));
    assert.equal(issues[0]!.hint, `Give it back its recorded name ${ID1}_add_users.py (git mv), so that history and files agree.`);
  });

  it('reports both when a script was renamed and edited', () => {
    const issues = findScriptIssues([script(ID1, 'create_people', 'edited')], [recorded(ID1, 'add_users')]);
    assert.deepEqual(issues.map((i) => i.kind), ['changed', 'renamed']);
  });

  it('reports a recorded script whose file is gone, under its recorded name', () => {
    const issues = findScriptIssues([script(ID2, 'b')], [recorded(ID1, 'add_users'), recorded(ID2, 'b')], { recordedIn: 'the head (v2)' });
    assert.deepEqual(issues.map((i) => [i.kind, i.fileName]), [['missing', `${ID1}_add_users.py`]]);
    assert.equal(issues[0]!.message, `${ID1}_add_users.py is recorded in the head (v2), but no script with its id is in the scripts folder.`);
    assert.match(issues[0]!.hint, /merge or rebase on the main branch.*restore it from git/);
  });

  it('tells when a missing script came back under a new id, which would run it a second time', () => {
    const issues = findScriptIssues([script(ID4, 'add_users', 'sum-original')], [recorded(ID1, 'add_users', 'sum-original')]);
    assert.deepEqual(issues.map((i) => i.kind), ['missing']);
    assert.match(issues[0]!.message, new RegExp(`${ID4}_add_users\\.py has the same content under a new id, so it would run a second time`));
    assert.equal(issues[0]!.hint, `Give ${ID4}_add_users.py back its recorded name ${ID1}_add_users.py (git mv): b2m knows scripts by their id.`);
  });

  it('reports a new script older than the newest recorded one: it runs out of order', () => {
    const scripts = [script(ID1, 'a'), script(ID2, 'fix_prices'), script(ID3, 'c'), script(ID4, 'd')];
    const issues = findScriptIssues(scripts, [recorded(ID1, 'a'), recorded(ID3, 'c')], { recordedIn: 'the head (v2)' });
    assert.deepEqual(issues.map((i) => [i.kind, i.id]), [['out-of-order', ID2]], 'ID4 is newer than everything recorded: in order');
    assert.equal(issues[0]!.message, `${ID2}_fix_prices.py is older than ${ID3}_c.py, the newest script in the head (v2): it will run out of order, after scripts written after it.`);
    assert.match(issues[0]!.hint, new RegExp(`"b2m migrations create fix prices", move its body there, and delete ${ID2}_fix_prices\\.py`));
  });

  it('measures out of order against recorded scripts whose files are gone too', () => {
    const issues = findScriptIssues([script(ID2, 'late')], [recorded(ID3, 'gone')]);
    assert.deepEqual(issues.map((i) => [i.kind, i.id]), [['out-of-order', ID2], ['missing', ID3]]);
  });

  it('lists every issue in id order', () => {
    const scripts = [script(ID4, 'newer'), script(ID1, 'renamed_now'), script(ID2, 'late')];
    const issues = findScriptIssues(scripts, [recorded(ID1, 'first'), recorded(ID3, 'third', 'x')]);
    assert.deepEqual(issues.map((i) => [i.id, i.kind]), [
      [ID1, 'renamed'],
      [ID2, 'out-of-order'],
      [ID3, 'missing'],
    ]);
  });
});
