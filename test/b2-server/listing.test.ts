import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withLocalB2, type LocalB2 } from '../support/local-b2';
import { bucketIdOf, connect, type B2File } from './b2-client';
import { RawClient } from './raw-api';

type Listing = { files: B2File[]; nextFileName: string | null; nextFileId?: string | null };

describe('local B2 server: listing, hiding, deleting', () => {
  let local: LocalB2;
  let raw: RawClient;
  before(async () => {
    local = await withLocalB2();
    raw = await RawClient.open(local);
  });
  after(() => local.close());

  async function put(name: string, body = name): Promise<string> {
    const res = await raw.upload(name, Buffer.from(body));
    assert.equal(res.status, 200, JSON.stringify(res.json));
    return res.json.fileId as string;
  }

  it('lists versions by name (UTF-8 byte order) then newest first', async () => {
    const b1 = await put('order/b');
    const a1 = await put('order/a');
    const b2 = await put('order/b');
    const z = await put('order/\u{1F600}'); // above U+FFFF: after U+FFFD in UTF-8 order
    const e = await put('order/\uFFFD');
    const a2 = await put('order/a');
    const files = await raw.listVersions({ prefix: 'order/' });
    assert.deepEqual(files.map((f) => f.fileId), [a2, a1, b2, b1, e, z]);
  });

  it('pages b2_list_file_versions with nextFileName/nextFileId across versions of one name', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await put('page/same'));
    for (let i = 0; i < 9; i++) await put(`page/n${i}`);
    const all = await raw.listVersions({ prefix: 'page/' });
    assert.equal(all.length, 13);
    assert.deepEqual(all.slice(9).map((f) => f.fileId), [...ids].reverse());

    const b2 = await connect(local);
    const bucketId = await bucketIdOf(b2, local.bucket);
    const seen: string[] = [];
    let start: { startFileName?: string; startFileId?: string } = {};
    let pages = 0;
    for (;;) {
      const res = await b2.listFileVersions({ bucketId, maxFileCount: 3, ...start, axiosOverride: { data: { prefix: 'page/' } } });
      const page = res.data as Listing;
      pages++;
      assert.ok(page.files.length <= 3);
      seen.push(...page.files.map((f) => f.fileId ?? ''));
      if (page.nextFileName === null) break;
      start = { startFileName: page.nextFileName, startFileId: page.nextFileId ?? '' };
    }
    assert.equal(pages, 5);
    assert.deepEqual(seen, all.map((f) => f.fileId));
  });

  it('continues from a startFileId that was deleted meanwhile', async () => {
    const ids = [await put('gone/x'), await put('gone/x'), await put('gone/x')];
    const first = await raw.call('b2_list_file_versions', { bucketId: raw.bucketId, prefix: 'gone/', maxFileCount: 1 });
    assert.equal(first.json.nextFileId, ids[1]);
    await raw.call('b2_delete_file_version', { fileName: 'gone/x', fileId: ids[1] });
    const rest = await raw.listVersions({ prefix: 'gone/', startFileName: 'gone/x', startFileId: ids[1] });
    assert.deepEqual(rest.map((f) => f.fileId), [ids[0]]);
  });

  it('pages through more than 1000 names and refuses maxFileCount above 10000', async () => {
    const uploader = async (worker: number): Promise<void> => {
      const url = await raw.uploadUrl(); // one upload URL per concurrent uploader, as B2 asks
      for (let i = worker; i < 1003; i += 8) await uploadOne(url, i);
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => uploader(w)));
    async function uploadOne(url: { uploadUrl: string; authorizationToken: string }, i: number): Promise<void> {
      const res = await fetch(url.uploadUrl, {
        method: 'POST',
        headers: {
          Authorization: url.authorizationToken,
          'X-Bz-File-Name': `many/${String(i).padStart(4, '0')}`,
          'Content-Type': 'text/plain',
          'X-Bz-Content-Sha1': 'do_not_verify',
        },
        body: 'x',
      });
      assert.equal(res.status, 200);
    }
    const first = await raw.call('b2_list_file_names', { bucketId: raw.bucketId, prefix: 'many/', maxFileCount: 1000 });
    assert.equal((first.json.files as B2File[]).length, 1000);
    assert.equal(first.json.nextFileName, 'many/1000');
    const second = await raw.call('b2_list_file_names', { bucketId: raw.bucketId, prefix: 'many/', startFileName: first.json.nextFileName, maxFileCount: 1000 });
    assert.deepEqual((second.json.files as B2File[]).map((f) => f.fileName), ['many/1000', 'many/1001', 'many/1002']);
    assert.equal(second.json.nextFileName, null);
    const defaults = await raw.call('b2_list_file_names', { bucketId: raw.bucketId, prefix: 'many/' });
    assert.equal((defaults.json.files as B2File[]).length, 100);
    const tooMany = await raw.call('b2_list_file_names', { bucketId: raw.bucketId, maxFileCount: 10001 });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.json.code, 'bad_request');
  });

  it('folds names into folders with a delimiter', async () => {
    await put('tree/top.txt');
    await put('tree/a/1.txt');
    await put('tree/a/2.txt');
    await put('tree/b/deep/3.txt');
    const res = await raw.call('b2_list_file_names', { bucketId: raw.bucketId, prefix: 'tree/', delimiter: '/' });
    const files = res.json.files as B2File[];
    assert.deepEqual(files.map((f) => [f.fileName, f.action]), [
      ['tree/a/', 'folder'],
      ['tree/b/', 'folder'],
      ['tree/top.txt', 'upload'],
    ]);
    const paged = await raw.call('b2_list_file_names', { bucketId: raw.bucketId, prefix: 'tree/', delimiter: '/', maxFileCount: 1 });
    assert.equal(paged.json.nextFileName, 'tree/b/');
  });

  it('lists one level under a prefix with delimiter "/", as B2 documents it (names and versions)', async () => {
    for (const name of ['photos/alice.jpg', 'photos/alfred.jpg', 'photos/cats/fluffy.jpg', 'photos/cats/mittens.jpg', 'photos/dogs/spot.jpg', 'photos/lilly.jpg']) {
      await put(name);
    }
    await put('photos/alice.jpg', 'newer');
    const listing = async (call: string, body: Record<string, unknown>): Promise<string[]> => {
      const res = await raw.call(call, { bucketId: raw.bucketId, maxFileCount: 1000, ...body });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      return (res.json.files as B2File[]).map((f) => `${f.action} ${f.fileName}`);
    };
    // The example of https://www.backblaze.com/apidocs/b2-list-file-names, "Prefixes and Delimiters".
    assert.deepEqual(await listing('b2_list_file_names', { prefix: 'photos/', delimiter: '/' }), [
      'upload photos/alfred.jpg',
      'upload photos/alice.jpg',
      'folder photos/cats/',
      'folder photos/dogs/',
      'upload photos/lilly.jpg',
    ]);
    assert.deepEqual(await listing('b2_list_file_names', { prefix: 'photos/c' }), ['upload photos/cats/fluffy.jpg', 'upload photos/cats/mittens.jpg']);
    assert.deepEqual(await listing('b2_list_file_names', { prefix: 'photos/cats/', delimiter: '/' }), ['upload photos/cats/fluffy.jpg', 'upload photos/cats/mittens.jpg']);
    assert.deepEqual(await listing('b2_list_file_names', { prefix: 'photos/cats', delimiter: '/' }), ['folder photos/cats/']);
    assert.deepEqual(await listing('b2_list_file_names', { delimiter: '/', startFileName: 'photos', maxFileCount: 1 }), ['folder photos/']);
    assert.deepEqual(await listing('b2_list_file_versions', { prefix: 'photos/', delimiter: '/' }), [
      'upload photos/alfred.jpg',
      'upload photos/alice.jpg',
      'upload photos/alice.jpg',
      'folder photos/cats/',
      'folder photos/dogs/',
      'upload photos/lilly.jpg',
    ]);
    const folder = (await raw.call('b2_list_file_names', { bucketId: raw.bucketId, prefix: 'photos/', delimiter: '/' })).json.files as B2File[];
    assert.deepEqual(
      folder.find((f) => f.action === 'folder'),
      { accountId: local.server.accountId, action: 'folder', bucketId: raw.bucketId, contentLength: 0, contentSha1: null, contentType: null, fileId: null, fileInfo: {}, fileName: 'photos/cats/', uploadTimestamp: 0 },
    );
  });

  it('reads the newest visible version of every database under a prefix in one b2_list_file_names call', async () => {
    await put('team/app.db', 'app v1');
    const appV2 = await put('team/app.db', 'app v2');
    const crm = await put('team/crm.db', 'crm v1');
    await put('team/gone.db', 'gone v1');
    await raw.call('b2_hide_file', { bucketId: raw.bucketId, fileName: 'team/gone.db' });
    await raw.startLargeFile('team/app.db'); // a next version being uploaded: not visible yet
    await put('team/.b2m/locks/app.db/attempt-1', '{}');
    await put('team/.b2m/manifests/app.db/v2.json', '{}');
    await put('team/sub/other.db', 'deeper');
    await put('teamwork.db', 'not under the prefix');
    raw.local.server.requests.clear();
    const res = await raw.call('b2_list_file_names', { bucketId: raw.bucketId, prefix: 'team/', delimiter: '/', maxFileCount: 1000 });
    const files = res.json.files as B2File[];
    assert.deepEqual(files.map((f) => [f.action, f.fileName, f.fileId]), [
      ['folder', 'team/.b2m/', null],
      ['upload', 'team/app.db', appV2],
      ['upload', 'team/crm.db', crm],
      ['folder', 'team/sub/', null],
    ]);
    assert.equal(res.json.nextFileName, null);
    assert.equal(raw.local.server.requests.of('b2_list_file_names').length, 1);
  });

  it('hides a name: gone from list_file_names and downloads, kept in versions', async () => {
    const id = await put('hide/me.txt', 'v1');
    const hidden = await raw.call('b2_hide_file', { bucketId: raw.bucketId, fileName: 'hide/me.txt' });
    assert.equal(hidden.status, 200);
    assert.equal(hidden.json.action, 'hide');
    assert.equal(hidden.json.contentLength, 0);
    const names = await raw.call('b2_list_file_names', { bucketId: raw.bucketId, prefix: 'hide/' });
    assert.deepEqual(names.json.files, []);
    assert.equal((await raw.download('hide/me.txt')).status, 404);
    const versions = await raw.listVersions({ prefix: 'hide/' });
    assert.deepEqual(versions.map((v) => v.action), ['hide', 'upload']);
    assert.equal((await raw.downloadById(id)).status, 200);
    const missing = await raw.call('b2_hide_file', { bucketId: raw.bucketId, fileName: 'hide/never.txt' });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.code, 'no_such_file');
    // Deleting the hide marker makes the file visible again.
    await raw.call('b2_delete_file_version', { fileName: 'hide/me.txt', fileId: hidden.json.fileId });
    assert.equal(await (await raw.download('hide/me.txt')).text(), 'v1');
  });

  it('deletes versions by name and id; the previous version becomes current', async () => {
    const v1 = await put('del/db', 'one');
    const v2 = await put('del/db', 'two');
    assert.equal(await (await raw.download('del/db')).text(), 'two');
    const wrongName = await raw.call('b2_delete_file_version', { fileName: 'del/other', fileId: v2 });
    assert.equal(wrongName.status, 400);
    assert.equal(wrongName.json.code, 'file_not_present');
    const deleted = await raw.call('b2_delete_file_version', { fileName: 'del/db', fileId: v2 });
    assert.deepEqual(deleted.json, { fileId: v2, fileName: 'del/db' });
    assert.equal(await (await raw.download('del/db')).text(), 'one');
    const again = await raw.call('b2_delete_file_version', { fileName: 'del/db', fileId: v2 });
    assert.equal(again.json.code, 'file_not_present');
    await raw.call('b2_delete_file_version', { fileName: 'del/db', fileId: v1 });
    assert.deepEqual(await raw.listVersions({ prefix: 'del/' }), []);
  });

  it('b2_get_file_info returns the version, 404 not_found when missing', async () => {
    const id = await put('info/x.json', '{}');
    const info = await raw.call('b2_get_file_info', { fileId: id });
    assert.equal(info.json.fileName, 'info/x.json');
    assert.equal(info.json.contentType, 'application/json');
    const missing = await raw.call('b2_get_file_info', { fileId: id.replace(/_f1/, '_f2') });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.code, 'not_found');
  });

  it('accepts v3 GET calls with query parameters', async () => {
    await put('v3/x');
    const res = await fetch(`${local.endpoint}/b2api/v3/b2_list_file_names?bucketId=${raw.bucketId}&prefix=v3/&maxFileCount=5`, {
      headers: { Authorization: raw.token },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as Listing).files.map((f) => f.fileName), ['v3/x']);
  });
});
