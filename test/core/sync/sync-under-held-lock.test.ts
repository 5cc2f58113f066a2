import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Workspace } from '../../../src/core/config';
import type { EngineContext } from '../../../src/core/context';
import { readLockStatus } from '../../../src/core/lock';
import { createMigration } from '../../../src/core/migrations/create';
import { once, openWorkspaceStore } from '../../../src/core/open-store';
import { syncDatabase } from '../../../src/core/sync/sync';
import { takeLock } from '../../../src/core/sync/take-lock';
import { withLocalB2, type LocalB2 } from '../../support/local-b2';

let b2: LocalB2;
let root: string;
before(async () => {
  b2 = await withLocalB2();
  root = mkdtempSync(join(tmpdir(), 'b2m-held-lock-'));
});
after(async () => {
  await b2.close();
  rmSync(root, { recursive: true, force: true });
});

test('a sync under a lock taken by hand uploads under it and leaves it held', async () => {
  mkdirSync(join(root, 'scripts'));
  const ws: Workspace = { root, config: parseConfig({ bucket: b2.bucket, databases: ['app.db'], endpoint: b2.endpoint, lock: { leaseSeconds: 20, settleSeconds: 1.5, maxUploadSeconds: 1 } }) };
  const ctx: EngineContext = { ws, identity: { user: 'ivy', host: 'test', session: 'ivy-1' }, store: once(() => openWorkspaceStore(ws, { keyId: b2.keyId, key: b2.key })) };
  execFileSync('sqlite3', [join(root, 'app.db'), 'CREATE TABLE t(id INTEGER PRIMARY KEY);']);
  const lease = await takeLock(ctx, 'app.db', 'manual');
  try {
    const first = await syncDatabase(ctx, 'app.db', { lease });
    assert.equal(first.result, 'published');
    const script = await createMigration({ scriptsDir: join(root, 'scripts'), db: 'app', isDefault: true, phrase: 'row' });
    writeFileSync(script, 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nwith c:\n    c.execute("INSERT INTO t VALUES (1)")\n');
    const second = await syncDatabase(ctx, 'app.db', { lease });
    assert.equal(second.result, 'published');
    assert.equal(second.head.lock, lease.lockId, 'the version names the lock it was uploaded under');
    const status = await readLockStatus(await ctx.store(), 'app.db', { session: 'ivy-1' });
    assert.equal(status.state, 'held');
    assert.equal(status.holder?.lockId, lease.lockId, 'the lock taken by hand is still held');
  } finally {
    await lease.release();
  }
  assert.equal((await readLockStatus(await ctx.store(), 'app.db')).state, 'free');
});
