import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthError, BadInputError } from '../../../src/core/errors';
import { openB2Store } from '../../../src/core/store/b2-store';
import { resolveCredentials } from '../../../src/core/store/credentials';
import { storeFixture, type StoreFixture } from './store-fixture';

describe('B2Store authorization', () => {
  let f: StoreFixture;
  const restricted = { keyId: 'team-key-id', key: 'team-key', namePrefix: 'team/' };
  before(async () => {
    f = await storeFixture({}, { buckets: ['b2m-demo', 'other-bucket'], restrictedKeys: [{ ...restricted, bucket: 'b2m-demo' }] });
  });
  after(async () => {
    await f.close();
  });

  it('works with a key restricted to one bucket and prefix, without listing buckets', async () => {
    f.b2.server.requests.clear();
    const store = await f.open({ keyId: restricted.keyId, key: restricted.key });
    assert.equal(store.allowedNamePrefix, 'team/');
    assert.equal(f.b2.server.requests.of('b2_list_buckets').length, 0);

    const version = await store.uploadBytes('team/app.db', Buffer.from('shared'));
    const listed = [];
    for await (const v of store.listVersions('team/')) listed.push(v.id);
    assert.deepEqual(listed, [version.id]);
    assert.ok((await store.downloadBytes(version)).equals(Buffer.from('shared')));
  });

  it('explains a name outside the key’s prefix as an AuthError', async () => {
    const store = await f.open({ keyId: restricted.keyId, key: restricted.key });
    await assert.rejects(store.uploadBytes('elsewhere/app.db', Buffer.from('x')), (error: unknown) => {
      assert.ok(error instanceof AuthError);
      assert.match(error.message, /b2_upload_file/);
      assert.match(error.message, /names starting with "team\/"/);
      return true;
    });
  });

  it('refuses a restricted key for another bucket, naming the bucket it allows', async () => {
    await assert.rejects(f.open({ keyId: restricted.keyId, key: restricted.key, bucket: 'other-bucket' }), (error: unknown) => {
      assert.ok(error instanceof AuthError);
      assert.match(error.message, /only gives access to bucket "b2m-demo", not "other-bucket"/);
      return true;
    });
  });

  it('refuses a wrong key with a hint about the credentials', async () => {
    await assert.rejects(f.open({ key: 'wrong' }), (error: unknown) => {
      assert.ok(error instanceof AuthError);
      assert.match(error.message, /refused the application key/);
      assert.match(error.hint ?? '', /B2_APPLICATION_KEY_ID/);
      return true;
    });
  });

  it('refuses a bucket that does not exist', async () => {
    await assert.rejects(f.open({ bucket: 'no-such-bucket' }), BadInputError);
  });

  it('refuses a part size below the server minimum', async () => {
    await assert.rejects(
      openB2Store({ keyId: f.b2.keyId, key: f.b2.key, bucket: f.b2.bucket, endpoint: f.b2.endpoint, partSize: 1000 }),
      BadInputError,
    );
  });
});

describe('resolveCredentials', () => {
  it('reads the key and the endpoint from the environment', () => {
    assert.deepEqual(resolveCredentials({ B2_APPLICATION_KEY_ID: 'id', B2_APPLICATION_KEY: 'secret', B2M_ENDPOINT: 'http://127.0.0.1:9' }), {
      keyId: 'id',
      key: 'secret',
      endpoint: 'http://127.0.0.1:9',
    });
    assert.deepEqual(resolveCredentials({ B2_APPLICATION_KEY_ID: 'id', B2_APPLICATION_KEY: 'secret' }), { keyId: 'id', key: 'secret' });
  });

  it('names what is missing', () => {
    assert.throws(() => resolveCredentials({ B2_APPLICATION_KEY_ID: 'id' }), (error: unknown) => {
      assert.ok(error instanceof AuthError);
      assert.match(error.message, /B2_APPLICATION_KEY is not set/);
      assert.ok(error.hint);
      return true;
    });
    assert.throws(() => resolveCredentials({}), /B2_APPLICATION_KEY_ID and B2_APPLICATION_KEY are not set/);
  });
});
