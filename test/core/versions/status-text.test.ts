import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LockHolder } from '../../../src/core/errors';
import type { Migration } from '../../../src/core/migrations/discover';
import { describeStatus, joinStatusFacts, statusFacts, type DatabaseStatus } from '../../../src/core/versions/status';

const holder: LockHolder = { lockId: '0123456789abcdef', database: 'app.db', owner: 'carol', host: 'laptop', session: 's', operation: 'sync', since: Date.UTC(2026, 0, 5, 14, 0, 0), expires: Date.UTC(2026, 0, 5, 14, 2, 11) };
const script = (name: string): Migration => ({ id: name.slice(0, 23), phrase: name.slice(24, -3), fileName: name, path: `/repo/scripts/${name}`, checksum: 'c' });

function status(overrides: Partial<DatabaseStatus>): DatabaseStatus {
  return { database: 'app.db', sync: 'up-to-date', uncaptured: false, lock: 'free', forks: [], localExists: true, pending: [], pendingAgainst: 'head', changed: [], scriptIssues: [], ...overrides };
}

describe('the one-line status text (the command line, the status bar, the tree)', () => {
  it('puts the lock first, then uncaptured edits, an overtaken base, the sync state, script warnings and a stale lock', () => {
    const issue = { kind: 'changed' as const, id: '20250101000000000000001', fileName: '20250101000000000000001_a.py', message: 'edited after it was applied', hint: 'make a new migration' };
    const overtaken = { version: { id: 'v2', number: 2, uploadTimestamp: 0 }, migrationsLost: [] };
    const s = status({ sync: 'diverged', lock: 'locked-by-other', lockHolder: holder, uncaptured: true, baseOvertaken: overtaken, pending: [script('20260101000000000000001_add_x.py')], scriptIssues: [issue] });
    assert.deepEqual(statusFacts(s).map((f) => f.text), ['locked by carol', 'uncaptured edits', 'your v2 overtaken', 'behind, 1 to push', '1 script warning']);
    assert.equal(joinStatusFacts(statusFacts(s), () => '14:02'), 'locked by carol until 14:02 · uncaptured edits · your v2 overtaken · behind, 1 to push · 1 script warning');
    assert.equal(describeStatus(s), 'app.db: locked by carol until 14:02:11 UTC · uncaptured edits · your v2 overtaken · behind, 1 to push · 1 script warning');
  });

  it('words every sync state and lock state the same way for every face', () => {
    const cases: [Partial<DatabaseStatus>, string][] = [
      [{}, 'app.db: up to date'],
      [{ sync: 'ahead', pending: [script('20260101000000000000001_a.py'), script('20260101000000000000002_b.py')] }, 'app.db: 2 to push'],
      [{ sync: 'behind' }, 'app.db: behind'],
      [{ sync: 'not-downloaded', localExists: false }, 'app.db: not downloaded'],
      [{ sync: 'only-local' }, 'app.db: only local'],
      [{ sync: 'missing', localExists: false }, 'app.db: no file yet'],
      [{ lock: 'locked-by-me', lockHolder: holder }, 'app.db: locked by you · up to date'],
      [{ lock: 'stale', lockHolder: holder }, 'app.db: up to date · stale lock of carol'],
    ];
    for (const [overrides, line] of cases) assert.equal(describeStatus(status(overrides)), line);
  });
});
