import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Migration } from '../../../src/core/migrations/discover';
import { computePending } from '../../../src/core/migrations/pending';
import type { AppliedMigration } from '../../../src/core/sqlite/migrations-table';

const migration = (id: string, checksum = `sum-${id}`): Migration => ({
  id,
  phrase: `m${id.slice(-1)}`,
  fileName: `${id}_m${id.slice(-1)}.py`,
  path: `/scripts/${id}_m${id.slice(-1)}.py`,
  checksum,
});
const applied = (id: string, checksum = `sum-${id}`): AppliedMigration => ({ id, name: 'x', checksum, appliedAt: 't', appliedBy: 'ada' });

const ID1 = '20250101000000000000001';
const ID2 = '20250101000000000000002';
const ID3 = '20250101000000000000003';
const ID4 = '20250101000000000000004';

describe('computePending', () => {
  it('has nothing to do when every script is recorded with its checksum', () => {
    assert.deepEqual(computePending([migration(ID1), migration(ID2)], [applied(ID1), applied(ID2)]), { pending: [], changed: [], missing: [] });
  });

  it('lists unrecorded scripts in id order, including an older id that arrived late', () => {
    const result = computePending([migration(ID3), migration(ID1), migration(ID4), migration(ID2)], [applied(ID1), applied(ID3)]);
    assert.deepEqual(result.pending.map((m) => m.id), [ID2, ID4]);
  });

  it('reports a recorded script whose checksum differs as changed, not pending', () => {
    const result = computePending([migration(ID1, 'edited'), migration(ID2)], [applied(ID1, 'original')]);
    assert.deepEqual(result.changed, [{ migration: migration(ID1, 'edited'), applied: applied(ID1, 'original') }]);
    assert.deepEqual(result.pending.map((m) => m.id), [ID2]);
  });

  it('reports recorded migrations that have no script as missing', () => {
    const result = computePending([migration(ID2)], [applied(ID3), applied(ID1), applied(ID2)]);
    assert.deepEqual(result.missing, [applied(ID1), applied(ID3)]);
    assert.deepEqual(result.pending, []);
  });

  it('treats everything as pending for a database with no record', () => {
    assert.deepEqual(computePending([migration(ID2), migration(ID1)], []).pending.map((m) => m.id), [ID1, ID2]);
  });
});
