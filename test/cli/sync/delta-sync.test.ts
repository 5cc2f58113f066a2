import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openB2Store } from '../../../src/core/store/b2-store';
import type { Store } from '../../../src/core/store/store';
import { Team, fileBytes, finished, sqlMigration, waitForOutput } from '../../support/team';

const MIN_PART = 100_000;

/** SQL inserting `count` rows of `width` characters (Python's SQLite may lack generate_series). */
function insertRows(count: number, width: number): string {
  return `WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < ${count}) INSERT INTO items(body) SELECT printf('%0${width}d', v) FROM n;`;
}

interface Transfer {
  uploadedBytes?: number;
  downloadedBytes?: number;
  size: number;
  how?: string;
}

/**
 * Issue 9: publish only the changed parts, download only the changed blocks, through real CLI
 * processes and the real client against the local server. The server's minimum part size is
 * small, so databases of a few MB are published as large files made of copied and uploaded parts.
 */
describe('delta sync through the CLI', () => {
  let team: Team;
  let store: Store;
  before(async () => {
    team = await Team.start({ developers: ['ann', 'ben', 'cy'], server: { minimumPartSize: MIN_PART } });
    store = await openB2Store({ keyId: team.b2.keyId, key: team.b2.key, bucket: team.b2.bucket, endpoint: team.b2.endpoint });
    const ann = team.dev('ann');
    ann.sql(`CREATE TABLE items(id INTEGER PRIMARY KEY, body TEXT); ${insertRows(4000, 1000)}`);
    assert.equal((await ann.run(['sync'])).code, 0);
    for (const name of ['ben', 'cy']) assert.equal((await team.dev(name).run(['download'])).code, 0);
  });
  after(() => team.close());

  async function annSyncs(phrase: string, sql: string): Promise<Transfer> {
    const ann = team.dev('ann');
    await ann.writeMigration(phrase, sqlMigration(sql));
    const run = await ann.run(['sync', '--yes', '--json']); // some of these changes delete most rows on purpose
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { transfer: Transfer }).transfer;
  }

  async function headBytes(): Promise<Buffer> {
    const [head] = await team.versions();
    const path = join(team.root, `head-${Date.now()}.db`);
    await store.downloadToFile(head!, path);
    return readFileSync(path);
  }

  test('a one-row update uploads the changed parts only; the new version is byte-identical to the candidate', async () => {
    team.b2.server.requests.clear();
    const transfer = await annSyncs('touch one row', "UPDATE items SET body = 'changed' WHERE id = 2000;");
    assert.equal(transfer.how, 'parts');
    assert.ok(transfer.uploadedBytes! < transfer.size / 3, `uploaded ${transfer.uploadedBytes} of ${transfer.size}`);
    assert.ok(team.b2.server.requests.of('b2_copy_part', 200).length > 0, 'unchanged ranges were copied server-side');
    assert.ok((await headBytes()).equals(fileBytes(team.dev('ann').dbPath)), 'the head is exactly the local result');
    assert.deepEqual(await store.listUnfinishedLargeFiles(''), []);
  });

  test('a teammate downloads only the changed blocks, verified, into place', async () => {
    const ben = team.dev('ben');
    const run = await ben.run(['download', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const { transfer } = JSON.parse(run.stdout) as { transfer: Transfer };
    assert.equal(transfer.how, 'blocks');
    assert.ok(transfer.downloadedBytes! < transfer.size / 4, `downloaded ${transfer.downloadedBytes} of ${transfer.size}`);
    assert.ok(fileBytes(ben.dbPath).equals(await headBytes()));
    assert.match((await ben.run(['download'])).stdout, /already is v\d+/);
  });

  test('a file that grew and one that shrank publish and download exactly', async () => {
    const grew = await annSyncs('grow', insertRows(1500, 800));
    assert.ok(grew.size > 4_000_000);
    assert.ok(fileBytes(team.dev('ann').dbPath).equals(await headBytes()));
    const shrank = await annSyncs('shrink', 'DELETE FROM items WHERE id > 2500; VACUUM;');
    assert.ok(shrank.size < grew.size);
    assert.ok(fileBytes(team.dev('ann').dbPath).equals(await headBytes()));
    const ben = team.dev('ben');
    assert.equal((await ben.run(['download'])).code, 0);
    assert.ok(fileBytes(ben.dbPath).equals(await headBytes()));
  });

  test('a base two and five versions behind fetches only what differs from it', async () => {
    const cy = team.dev('cy');
    assert.equal((await cy.run(['download'])).code, 0);
    for (const behind of [2, 5]) {
      for (let i = 0; i < behind; i++) await annSyncs(`edit ${behind} ${i}`, `UPDATE items SET body = 'edit ${behind} ${i}' WHERE id = ${100 * behind + i};`);
      const run = await cy.run(['download', '--json']);
      assert.equal(run.code, 0, run.stderr);
      const { transfer } = JSON.parse(run.stdout) as { transfer: Transfer };
      assert.equal(transfer.how, 'blocks', `${behind} versions behind`);
      assert.ok(transfer.downloadedBytes! < transfer.size / 2, `${behind} behind: downloaded ${transfer.downloadedBytes} of ${transfer.size}`);
      assert.ok(fileBytes(cy.dbPath).equals(await headBytes()));
    }
  });

  test('a damaged manifest means a whole download, still verified', async () => {
    await annSyncs('for a damaged manifest', "UPDATE items SET body = 'm' WHERE id = 7;");
    const [head] = await team.versions();
    const manifests = [];
    for await (const v of store.listVersions('.b2m/manifests/')) if (v.name.endsWith(`${head!.sha1}.json`)) manifests.push(v);
    assert.equal(manifests.length, 1, 'the head has a manifest');
    await store.uploadBytes(manifests[0]!.name, Buffer.from('{"format":"b2m-manifest/1", "oops'));
    const ben = team.dev('ben');
    const run = await ben.run(['download', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /manifest of app\.db .* is damaged/);
    assert.equal((JSON.parse(run.stdout) as { transfer: Transfer }).transfer.how, 'whole');
    assert.ok(fileBytes(ben.dbPath).equals(await headBytes()));
  });

  test('a block served corrupt is refused and fetched again; served corrupt every time, nothing is installed', async () => {
    await annSyncs('for corrupt blocks', "UPDATE items SET body = 'c' WHERE id = 8;");
    const ben = team.dev('ben');
    assert.equal((await ben.run(['status'])).code, 0); // caches the head's manifest: the next downloads are blocks
    team.b2.server.faults.corruptDownload(1, 100);
    const once = await ben.run(['download', '--json']);
    assert.equal(once.code, 0, once.stderr);
    assert.equal((JSON.parse(once.stdout) as { transfer: Transfer }).transfer.how, 'blocks', 'the corrupt block was fetched again');
    assert.ok(fileBytes(ben.dbPath).equals(await headBytes()));

    await annSyncs('for corrupt blocks again', "UPDATE items SET body = 'd' WHERE id = 9;");
    assert.equal((await ben.run(['status'])).code, 0);
    const before = fileBytes(ben.dbPath);
    team.b2.server.faults.corruptDownload(50, 100);
    const always = await ben.run(['download']);
    team.b2.server.faults.clear();
    assert.equal(always.code, 7, `an integrity failure: ${always.stderr}`);
    assert.ok(fileBytes(ben.dbPath).equals(before), 'the local file is untouched');
    assert.deepEqual(readdirSync(join(ben.dir, '.b2m', 'snapshots')).filter((f) => f.includes('.b2m-')), [], 'no partial file left');
  });

  test('a publish killed after some parts leaves the head as it was; the next run cancels its unfinished upload', async () => {
    const ann = team.dev('ann');
    const before = await team.versions();
    await ann.writeMigration('killed mid-parts', sqlMigration("UPDATE items SET body = 'k' WHERE id IN (1, 1000, 2000, 2400);"));
    team.b2.server.faults.delay('b2_upload_part', 3000, 10);
    const child = ann.start(['sync']);
    await waitForOutput(child, 'Uploading the changed parts');
    child.kill('SIGKILL');
    const killed = await finished(child, 10_000);
    assert.notEqual(killed.code, 0, 'the sync was killed');
    team.b2.server.faults.clear();
    assert.equal((await store.listUnfinishedLargeFiles('')).length, 1, 'the killed upload is unfinished in the bucket');
    assert.deepEqual((await team.versions()).map((v) => v.id), before.map((v) => v.id), 'the head is unchanged');

    const again = await ann.run(['sync']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /Cancelled 1 unfinished upload/);
    assert.deepEqual(await store.listUnfinishedLargeFiles(''), [], 'nothing unfinished left');
    assert.equal((await team.headQuery("SELECT count(*) FROM items WHERE body = 'k'")).trim(), '4');
  });

  test('the head moved while parts were uploading: the upload is cancelled, rebuilt, both changes in the head', async () => {
    const ann = team.dev('ann');
    const ben = team.dev('ben');
    assert.equal((await ben.run(['download'])).code, 0);
    team.share('ann', 'ben');
    await ann.writeMigration('ann during upload', sqlMigration("UPDATE items SET body = 'ann' WHERE id = 11;"));
    await ben.writeMigration('ben first', sqlMigration("UPDATE items SET body = 'ben' WHERE id = 12;"));
    team.b2.server.faults.delay('b2_upload_part', 6000, 1); // ann's first changed part: ben publishes meanwhile
    const annSync = ann.start(['sync']);
    let annOutput = '';
    annSync.stderr?.on('data', (c: Buffer) => (annOutput += c.toString()));
    const annDone = finished(annSync, 60_000).catch((e: unknown) => ({ code: -1, stdout: '', stderr: `${String(e)}\n${annOutput}` }));
    await waitForOutput(annSync, 'Uploading the changed parts');
    const benSync = await ben.run(['sync']);
    assert.equal(benSync.code, 0, benSync.stderr);
    const annRun = await annDone;
    assert.equal(annRun.code, 0, annOutput);
    assert.match(annRun.stderr, /Someone published app\.db while your migrations ran; rebuilding on their version/);
    assert.equal((await team.headQuery('SELECT body FROM items WHERE id IN (11, 12) ORDER BY id')).trim(), 'ann\nben');
    assert.deepEqual(await store.listUnfinishedLargeFiles(''), [], 'the overtaken upload was cancelled');
    assert.deepEqual(await team.lockFiles(), []);
  });
});
