// The pure parts behind the status bar and polling, run inside the extension host with the rest.
import * as assert from 'node:assert/strict';
import { MAX_BACKOFF_MS, nextPollDelay } from '../../src/extension/status/poll-schedule';
import { actionsFor } from '../../src/extension/status/status-actions';
import { databaseOfFile } from '../../src/extension/status/database-of-file';
import { age } from '../../src/extension/time-format';
import { fitDescription, rowCharacters } from '../../src/extension/views/row-text';
import type { DatabaseStatus } from '../../src/core/versions/status';
import type { Workspace } from '../../src/core/config';
import { DEFAULT_CONFIG } from '../../src/core/config';

const ws: Workspace = { root: '/repo', config: { ...DEFAULT_CONFIG, bucket: 'team-bucket', databases: ['app.db', 'logs.db'] } };

function status(overrides: Partial<DatabaseStatus>): DatabaseStatus {
  return { database: 'app.db', sync: 'up-to-date', uncaptured: false, lock: 'free', localExists: true, pending: [], pendingAgainst: 'head', changed: [], forks: [], scriptIssues: [], ...overrides };
}

describe('status logic', () => {
  it('polls at the interval, doubling after each failure up to the cap', () => {
    assert.equal(nextPollDelay(60_000, 0), 60_000);
    assert.equal(nextPollDelay(60_000, 1), 120_000);
    assert.equal(nextPollDelay(60_000, 3), 480_000);
    assert.equal(nextPollDelay(60_000, 30), MAX_BACKOFF_MS);
    assert.equal(nextPollDelay(20 * 60_000, 2), 20 * 60_000, 'an interval above the cap is never shortened');
  });

  it('offers the actions that make sense for the state', () => {
    const commands = (s: DatabaseStatus) => actionsFor({ database: 'app.db', status: s }).map((a) => a.command);
    assert.ok(commands(status({ sync: 'ahead', pending: [{ id: '1', phrase: 'x', fileName: '1_x.py', path: '/x', checksum: 'c' }] })).includes('b2m.sync'));
    assert.ok(!commands(status({})).includes('b2m.sync'));
    assert.ok(commands(status({ sync: 'behind' })).includes('b2m.download'));
    assert.deepEqual(commands(status({ uncaptured: true, sync: 'ahead' })).slice(0, 1), ['b2m.captureLocalEdits']);
    assert.ok(!commands(status({ uncaptured: true, sync: 'ahead' })).includes('b2m.sync'), 'sync is not offered over uncaptured edits');
    assert.ok(commands(status({ lock: 'locked-by-me' })).includes('b2m.unlock'));
    const holder = { lockId: 'l', database: 'app.db', owner: 'carol', host: 'h', session: 's', operation: 'sync', since: 0, expires: 1 };
    assert.ok(commands(status({ lock: 'locked-by-other', lockHolder: holder })).includes('b2m.forceUnlock'));
    assert.ok(!commands(status({ lock: 'locked-by-other', lockHolder: holder })).includes('b2m.lock'));
  });

  it('finds the database of an open script or database file', () => {
    assert.equal(databaseOfFile(ws, '/repo/scripts/20250102030405123456789_add.py'), 'app.db');
    assert.equal(databaseOfFile(ws, '/repo/scripts/logs/20250102030405123456789_add.py'), 'logs.db');
    assert.equal(databaseOfFile(ws, '/repo/scripts/app/20250102030405123456789_add.py'), 'app.db');
    assert.equal(databaseOfFile(ws, '/repo/logs.db'), 'logs.db');
    assert.equal(databaseOfFile(ws, '/repo/README.md'), undefined);
  });

  it('fits a row description beside its label, most important facts first', () => {
    assert.equal(fitDescription('app.db', ['locked by carol', '1 to push', 'uncaptured edits'], 0), 'locked by carol · 1 to push');
    assert.equal(fitDescription('v2', ['alexandra', '2h ago'], 1), 'alexandra · 2h ago');
    assert.equal(fitDescription('v12 (head, your base)', ['alexandra', '2h ago'], 1), 'alexandra', 'one level down, less room');
    const long = fitDescription('app.db', ['locked by someone-with-a-very-long-name@host'], 0);
    assert.ok(`app.db ${long}`.length <= rowCharacters(0) && long.endsWith('…'), long);
  });

  it('says how long ago in a few characters', () => {
    const now = Date.UTC(2026, 2, 10, 12, 0, 0);
    assert.equal(age(now - 20_000, now), 'just now');
    assert.equal(age(now - 5 * 60_000, now), '5m ago');
    assert.equal(age(now - 3 * 3_600_000, now), '3h ago');
    assert.equal(age(now - 2 * 86_400_000, now), '2d ago');
    assert.ok(age(now - 40 * 86_400_000, now).length <= 6, 'an older day is short, e.g. "Jan 29"');
  });
});
