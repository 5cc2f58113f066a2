import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withLocalB2, type LocalB2 } from '../support/local-b2';
import { b2ErrorOf, bucketIdOf, connect, upload } from './b2-client';
import { authorizeRaw, RawClient } from './raw-api';

describe('local B2 server: authorization', () => {
  let local: LocalB2;
  before(async () => {
    local = await withLocalB2({
      buckets: ['b2m-demo', 'other-bucket'],
      restrictedKeys: [{ keyId: 'team-key', key: 'team-secret', bucket: 'b2m-demo', namePrefix: 'team/' }],
    });
  });
  after(() => local.close());

  it('authorizes with the default key and returns the v2 fields pointing at itself', async () => {
    const res = await authorizeRaw(local);
    assert.equal(res.status, 200);
    assert.equal(local.keyId, 'b2m-local-key-id');
    assert.equal(local.key, 'b2m-local-application-key');
    const body = res.json;
    assert.equal(body.apiUrl, local.endpoint);
    assert.equal(body.downloadUrl, local.endpoint);
    assert.equal(typeof body.s3ApiUrl, 'string');
    assert.match(body.authorizationToken as string, /^4_[0-9a-f]+$/);
    assert.equal(body.accountId, local.server.accountId);
    assert.equal(body.recommendedPartSize, 100_000_000);
    assert.equal(body.absoluteMinimumPartSize, 5_000_000);
    const allowed = body.allowed as Record<string, unknown>;
    assert.equal(allowed.bucketId, null);
    assert.equal(allowed.namePrefix, null);
    assert.ok((allowed.capabilities as string[]).includes('writeFiles'));
  });

  it('answers v3 authorize in the apiInfo.storageApi shape', async () => {
    const res = await authorizeRaw(local, local.keyId, local.key, 'v3');
    assert.equal(res.status, 200);
    const storage = (res.json.apiInfo as { storageApi: Record<string, unknown> }).storageApi;
    assert.equal(storage.apiUrl, local.endpoint);
    assert.equal(storage.downloadUrl, local.endpoint);
    assert.equal(storage.infoType, 'storageApi');
    assert.equal(storage.absoluteMinimumPartSize, 5_000_000);
  });

  it('answers v4 authorize with allowed bucket lists for a restricted key', async () => {
    const res = await authorizeRaw(local, 'team-key', 'team-secret', 'v4');
    const storage = (res.json.apiInfo as { storageApi: Record<string, unknown> }).storageApi;
    const allowed = storage.allowed as Record<string, unknown>;
    assert.deepEqual(allowed.bucketNames, ['b2m-demo']);
    assert.equal((allowed.bucketIds as string[]).length, 1);
    assert.equal(allowed.namePrefix, 'team/');
  });

  it('refuses a wrong key with 401 unauthorized', async () => {
    const res = await authorizeRaw(local, local.keyId, 'wrong');
    assert.equal(res.status, 401);
    assert.equal(res.json.code, 'unauthorized');
    assert.equal(res.json.status, 401);
    assert.equal(typeof res.json.message, 'string');
    const noHeader = await fetch(`${local.endpoint}/b2api/v2/b2_authorize_account`);
    assert.equal(noHeader.status, 401);
  });

  it('refuses an unknown token with bad_auth_token', async () => {
    const res = await RawClient.callWith(local, '4_nonsense', 'b2_list_buckets', { accountId: local.server.accountId });
    assert.equal(res.status, 401);
    assert.equal(res.json.code, 'bad_auth_token');
  });

  it('puts a Date header on every response, from the server clock', async () => {
    const ok = await authorizeRaw(local);
    const failed = await authorizeRaw(local, 'x', 'y');
    for (const res of [ok, failed]) {
      const date = Date.parse(res.headers.get('date') ?? '');
      assert.ok(Math.abs(date - Date.now()) < 5000);
    }
    local.server.clock.offsetMs = 3_600_000;
    try {
      const skewed = await authorizeRaw(local);
      assert.ok(Date.parse(skewed.headers.get('date') ?? '') - Date.now() > 3_500_000);
    } finally {
      local.server.clock.offsetMs = 0;
    }
  });

  it('restricted key: allowed shows the bucket and prefix; listing all buckets is refused', async () => {
    const auth = await authorizeRaw(local, 'team-key', 'team-secret');
    assert.equal(auth.status, 200);
    const allowed = auth.json.allowed as Record<string, unknown>;
    assert.equal(allowed.bucketName, 'b2m-demo');
    assert.equal(allowed.namePrefix, 'team/');
    assert.match(allowed.bucketId as string, /^[0-9a-f]{24}$/);

    const b2 = await connect(local, 'team-key', 'team-secret');
    const all = await b2.listBuckets().catch((e: unknown) => e);
    assert.equal(b2ErrorOf(all).code, 'unauthorized');
    assert.equal(b2ErrorOf(all).status, 401);
    assert.equal(await bucketIdOf(b2, 'b2m-demo'), allowed.bucketId);
    const other = await b2.getBucket({ bucketName: 'other-bucket' }).catch((e: unknown) => e);
    assert.equal(b2ErrorOf(other).code, 'unauthorized');
  });

  it('restricted key: names outside the prefix are refused, inside are fine', async () => {
    const b2 = await connect(local, 'team-key', 'team-secret');
    const bucketId = await bucketIdOf(b2, 'b2m-demo');
    const inside = await upload(b2, bucketId, 'team/a.txt', Buffer.from('a'));
    assert.equal(inside.fileName, 'team/a.txt');
    const outside = await upload(b2, bucketId, 'elsewhere/a.txt', Buffer.from('a')).catch((e: unknown) => e);
    assert.equal(b2ErrorOf(outside).code, 'unauthorized');

    const listAll = await b2.listFileNames({ bucketId }).catch((e: unknown) => e);
    assert.equal(b2ErrorOf(listAll).code, 'unauthorized');
    const listTeam = await b2.listFileNames({ bucketId, prefix: 'team/' });
    assert.deepEqual((listTeam.data as { files: Array<{ fileName: string }> }).files.map((f) => f.fileName), ['team/a.txt']);

    const master = await RawClient.open(local);
    await master.upload('secret/b.txt', Buffer.from('b'));
    const restricted = await RawClient.open(local, 'team-key', 'team-secret');
    assert.equal((await restricted.download('secret/b.txt')).status, 401);
    assert.equal((await restricted.download('team/a.txt')).status, 200);
    const hide = await restricted.call('b2_hide_file', { bucketId, fileName: 'secret/b.txt' });
    assert.equal(hide.json.code, 'unauthorized');
    const otherBucket = await master.call('b2_list_buckets', { accountId: local.server.accountId, bucketName: 'other-bucket' });
    const otherId = (otherBucket.json.buckets as Array<{ bucketId: string }>)[0]?.bucketId;
    const uploadUrl = await restricted.call('b2_get_upload_url', { bucketId: otherId });
    assert.equal(uploadUrl.status, 401);
  });

  it('unknown bucket ids are bad_bucket_id', async () => {
    const raw = await RawClient.open(local);
    const res = await raw.call('b2_get_upload_url', { bucketId: 'ffffffffffffffffffffffff' });
    assert.equal(res.status, 400);
    assert.equal(res.json.code, 'bad_bucket_id');
  });
});

describe('local B2 server: token expiry', () => {
  let local: LocalB2;
  before(async () => {
    local = await withLocalB2({ tokenLifetimeMs: 60_000 });
  });
  after(() => local.close());

  it('account and upload tokens expire after their lifetime (server clock) with expired_auth_token', async () => {
    const raw = await RawClient.open(local);
    const url = await raw.uploadUrl();
    local.server.clock.offsetMs = 61_000;
    try {
      const listed = await raw.call('b2_list_file_names', { bucketId: raw.bucketId });
      assert.equal(listed.status, 401);
      assert.equal(listed.json.code, 'expired_auth_token');
      const uploaded = await fetch(url.uploadUrl, {
        method: 'POST',
        headers: { Authorization: url.authorizationToken, 'X-Bz-File-Name': 'a', 'Content-Type': 'text/plain', 'X-Bz-Content-Sha1': 'do_not_verify' },
        body: 'x',
      });
      assert.equal(uploaded.status, 401);
      assert.equal(((await uploaded.json()) as { code: string }).code, 'expired_auth_token');
      const fresh = await RawClient.open(local);
      assert.equal((await fresh.call('b2_list_file_names', { bucketId: fresh.bucketId })).status, 200);
    } finally {
      local.server.clock.offsetMs = 0;
    }
  });

  it('expireTokens() expires every token at once; re-authorizing works', async () => {
    const b2 = await connect(local);
    const bucketId = await bucketIdOf(b2, local.bucket);
    local.server.expireTokens();
    const failed = await b2.listFileVersions({ bucketId }).catch((e: unknown) => e);
    assert.equal(b2ErrorOf(failed).code, 'expired_auth_token');
    const again = await connect(local);
    assert.equal((await again.listFileVersions({ bucketId })).status, 200);
  });

  it('an upload token only works for its own upload URL', async () => {
    const raw = await RawClient.open(local);
    const a = await raw.uploadUrl();
    const part = await raw.call('b2_start_large_file', { bucketId: raw.bucketId, fileName: 'big', contentType: 'b2/x-auto' });
    const partUrl = (await raw.call('b2_get_upload_part_url', { fileId: part.json.fileId })).json as { uploadUrl: string };
    const res = await fetch(partUrl.uploadUrl, {
      method: 'POST',
      headers: { Authorization: a.authorizationToken, 'X-Bz-Part-Number': '1', 'X-Bz-Content-Sha1': 'do_not_verify' },
      body: 'x',
    });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { code: string }).code, 'bad_auth_token');
  });
});
