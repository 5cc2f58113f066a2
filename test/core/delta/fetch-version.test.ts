import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Workspace } from '../../../src/core/config';
import type { EngineContext } from '../../../src/core/context';
import { fetchVersion } from '../../../src/core/delta/fetch-version';
import { once, openWorkspaceStore } from '../../../src/core/open-store';
import { syncDatabase } from '../../../src/core/sync/sync';
import { withLocalB2, type LocalB2 } from '../../support/local-b2';

let b2: LocalB2;
let root: string;
before(async () => {
  b2 = await withLocalB2();
  root = mkdtempSync(join(tmpdir(), 'b2m-fetch-version-'));
});
after(async () => {
  await b2.close();
  rmSync(root, { recursive: true, force: true });
});

test('a local copy of the version that is gone by the time it is copied: the version downloads instead', async () => {
  mkdirSync(join(root, 'scripts'));
  const ws: Workspace = { root, config: parseConfig({ bucket: b2.bucket, databases: ['app.db'], endpoint: b2.endpoint }) };
  const ctx: EngineContext = { ws, identity: { user: 'kit', host: 'test', session: 'kit-1' }, store: once(() => openWorkspaceStore(ws, { keyId: b2.keyId, key: b2.key })) };
  execFileSync('sqlite3', [join(root, 'app.db'), "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('kept');"]);
  const { head } = await syncDatabase(ctx, 'app.db', {});
  const target = join(root, 'fetched.db');
  const gone = { path: join(root, 'pruned-meanwhile.db'), sha1: head.sha1 as string, size: head.size };
  const fetched = await fetchVersion(ctx, 'app.db', head, target, [gone]);
  assert.equal(fetched.how, 'whole');
  assert.ok(readFileSync(target).equals(readFileSync(join(root, 'app.db'))));
});
