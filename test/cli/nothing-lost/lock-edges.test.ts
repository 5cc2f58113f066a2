import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { attemptInfo, encodeAttemptBody, newAttemptRecord } from '../../../src/core/lock/attempts/attempt-record';
import { lockFileName, lockFolder, newAttemptId } from '../../../src/core/lock/attempts/names';
import { encodeProcessFacts, ownProcessFacts } from '../../../src/core/lock/process-facts';
import { openB2Store } from '../../../src/core/store/b2-store';
import { Team, sqlMigration } from '../../support/team';

/** Issue 10: the lock's edge cases, through real CLI processes. */
describe('lock edges', () => {
  let team: Team;
  before(async () => {
    team = await Team.start({ developers: ['alice'], lock: { leaseSeconds: 20, settleSeconds: 1.5, maxUploadSeconds: 1 } });
    const alice = team.dev('alice');
    await alice.publishFirstVersion('CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);');
  });
  after(() => team.close());

  test('a live lock of the same user on another machine with the same host name is waited for, not broken', async () => {
    // What alice's b2m on her other machine (a container with the same host name) writes when it
    // takes the lock: same user, same host name, a pid that does not run here, another kernel boot.
    const store = await openB2Store({ keyId: team.b2.keyId, key: team.b2.key, bucket: team.b2.bucket, endpoint: team.b2.endpoint });
    const own = ownProcessFacts();
    const elsewhere = own ? encodeProcessFacts({ ...own, boot: '11111111-2222-3333-4444-555555555555', pid: 4_194_000 }) : undefined;
    const attemptId = newAttemptId();
    const record = newAttemptRecord(attemptId, team.database, { user: 'alice', host: hostname(), session: 'other-machine' }, 'sync', 20_000, 'test', 4_194_000, elsewhere);
    const folder = lockFolder('', team.database);
    await store.uploadBytes(lockFileName(folder, attemptId, 'attempt'), encodeAttemptBody(record), { info: attemptInfo(record), contentType: 'application/json' });

    const alice = team.dev('alice');
    await alice.writeMigration('insert while locked elsewhere', sqlMigration("INSERT INTO t(v) VALUES ('x');"));
    const versionsBefore = (await team.versions()).length;
    const run = await alice.run(['sync']);
    assert.equal(run.code, 3, `blocked, not broken: ${run.stderr}`);
    assert.match(run.stderr, /locked by alice@/);
    assert.doesNotMatch(run.stderr, /Breaking lock/);
    assert.equal((await team.versions()).length, versionsBefore, 'nothing published');
    assert.ok((await team.lockFiles()).some((name) => name.includes(attemptId)), 'the other machine still holds its lock');
    assert.equal((await alice.run(['force-unlock', team.database, attemptId, '--yes'])).code, 0);
  });
});
