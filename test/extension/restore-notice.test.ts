// What the notification after a restore says, from the restore's outcome.
import * as assert from 'node:assert/strict';
import { restoredNotice } from '../../src/extension/commands/restore';
import type { NumberedVersion } from '../../src/core/versions/chain';

const version = (number: number): NumberedVersion => ({ number }) as NumberedVersion;

describe('the notice after a restore', () => {
  it('names the new head, what it undid and where your previous local file is kept', () => {
    const notice = restoredNotice('app.db', { published: version(6), restored: version(3), undoneMigrations: ['20250101000000000000001_add_note.py'], backup: '/w/.b2m/backups/app.db.1.db' });
    assert.equal(notice.message, 'b2m: app.db head is now v6 (restores v3). Undone: 20250101000000000000001_add_note.py. Your previous local file is kept at /w/.b2m/backups/app.db.1.db.');
  });

  it('says nothing of a backup when the local file was a remote version', () => {
    assert.equal(restoredNotice('app.db', { published: version(4), restored: version(1), undoneMigrations: [] }).message, 'b2m: app.db head is now v4 (restores v1).');
  });
});
