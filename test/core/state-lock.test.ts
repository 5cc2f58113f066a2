import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseConfig, type Workspace } from '../../src/core/config';
import { readLocalState, updateDatabaseState } from '../../src/core/state/local-state';

/** Two processes recording different databases in one workspace at the same moment keep both. */
describe('local state shared by processes', () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-state-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const ws: Workspace = { root, config: parseConfig({ bucket: 'team-bucket', databases: ['a.db', 'b.db'] }) };

  test('concurrent updates of different databases from several processes lose nothing', async () => {
    const writer = join(root, 'writer.mts');
    writeFileSync(
      writer,
      [
        `import { updateDatabaseState } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'src', 'core', 'state', 'local-state.ts'))};`,
        `const ws = { root: ${JSON.stringify(root)}, config: {} as never };`,
        `const [db, n] = [process.argv[2]!, Number(process.argv[3])];`,
        'for (let i = 0; i < n; i++) await updateDatabaseState(ws, `${db}-${i}`, { baseVersionId: "v", baseSha1: "s", localSha1: "s", updatedAt: "" });',
      ].join('\n'),
    );
    const run = (db: string) =>
      new Promise<number>((resolve) => spawn(process.execPath, ['--import', 'tsx', writer, db, '25'], { stdio: 'inherit' }).on('exit', (code) => resolve(code ?? 1)));
    assert.deepEqual(await Promise.all([run('a'), run('b'), run('c')]), [0, 0, 0]);
    await updateDatabaseState(ws, 'd', { baseVersionId: 'v', baseSha1: 's', localSha1: 's', updatedAt: '' });
    const names = Object.keys((await readLocalState(ws)).databases);
    assert.equal(names.length, 76, 'every process kept every update of the others');
  });
});
