import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type Workspace } from '../../../src/core/config';
import type { EngineContext } from '../../../src/core/context';
import { createMigration } from '../../../src/core/migrations/create';
import { once, openWorkspaceStore } from '../../../src/core/open-store';
import { syncDatabase } from '../../../src/core/sync/sync';
import { withLocalB2, type LocalB2 } from '../../support/local-b2';
import { countingPython, createDb, pythonStarts, tempDir } from '../sqlite/fixtures';

let b2: LocalB2;
before(async () => {
  b2 = await withLocalB2();
});
after(async () => {
  await b2.close();
});

test('a sync with N migrations starts N + 1 Python processes: one per migration and one helper for the rest', async () => {
  const root = tempDir();
  mkdirSync(join(root, 'scripts'));
  createDb(join(root, 'app.db'), 'CREATE TABLE t (id INTEGER PRIMARY KEY);');
  const context = (python: string): EngineContext => {
    const ws: Workspace = {
      root,
      config: parseConfig({ bucket: b2.bucket, databases: ['app.db'], endpoint: b2.endpoint, python, lock: { leaseSeconds: 6, settleSeconds: 1.5, maxUploadSeconds: 1 } }),
    };
    return { ws, identity: { user: 'ivy', host: 'test', session: 'ivy-1' }, store: once(() => openWorkspaceStore(ws, { keyId: b2.keyId, key: b2.key })) };
  };
  assert.equal((await syncDatabase(context(countingPython(join(root, 'python-first'), join(root, 'first.log'))), 'app.db')).result, 'published');

  const migrations = 3;
  for (let i = 1; i <= migrations; i++) {
    const script = await createMigration({ scriptsDir: join(root, 'scripts'), db: 'app', isDefault: true, phrase: `row_${i}` });
    writeFileSync(script, `import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nwith c:\n    c.execute("INSERT INTO t VALUES (${i})")\nc.close()\n`);
  }
  // A command not used before, so no helper of the first sync is reused.
  const log = join(root, 'second.log');
  const outcome = await syncDatabase(context(countingPython(join(root, 'python-second'), log)), 'app.db');
  assert.equal(outcome.result, 'published');
  assert.equal(outcome.applied.length, migrations);
  assert.equal(outcome.rebuilds, 0);

  const started = pythonStarts(log);
  const harnesses = started.filter((line) => line.endsWith(' ivy'));
  assert.equal(harnesses.length, migrations, `one harness per migration:\n${started.join('\n')}`);
  assert.equal(started.length, migrations + 1, `Python processes started:\n${started.join('\n')}`);
});
