import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig, type Workspace } from '../../../src/core/config';
import { scriptsOf } from '../../../src/core/migrations/database-scripts';
import { migrationFolders, newMigrationFolder } from '../../../src/core/migrations/folders';

describe('scriptsOf', () => {
  const ws: Workspace = { root: '/repo', config: parseConfig({ bucket: 'team-bucket', databases: ['app.db', 'stats.sqlite'], migrationsDir: 'db/scripts' }) };

  it('gives the first database its own folder and the scripts folder itself', () => {
    const target = scriptsOf(ws, 'app.db');
    assert.deepEqual(migrationFolders(target), [join('/repo', 'db/scripts'), join('/repo', 'db/scripts', 'app')]);
    assert.equal(newMigrationFolder(target), join('/repo', 'db/scripts'));
  });

  it('gives any other database only its own folder, named by its key', () => {
    const target = scriptsOf(ws, 'stats.sqlite');
    assert.deepEqual(migrationFolders(target), [join('/repo', 'db/scripts', 'stats')]);
    assert.equal(newMigrationFolder(target), join('/repo', 'db/scripts', 'stats'));
  });
});
