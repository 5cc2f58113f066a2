import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withLocalB2 } from '../support/local-b2';
import { bodyOf, RawClient, sha1Hex } from './raw-api';

describe('local B2 server: persistence', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'b2m-persist-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps buckets, versions, hide markers, large files and unfinished uploads across a restart', async () => {
    const small = randomBytes(3000);
    const partA = randomBytes(1000);
    const partB = randomBytes(10);

    const first = await withLocalB2({ dataDir, minimumPartSize: 1000 });
    const raw = await RawClient.open(first);
    const v1 = (await raw.upload('db/app.db', small)).json.fileId as string;
    await raw.upload('db/gone.txt', Buffer.from('bye'));
    await raw.call('b2_hide_file', { bucketId: raw.bucketId, fileName: 'db/gone.txt' });
    const large = (await raw.call('b2_start_large_file', { bucketId: raw.bucketId, fileName: 'db/large.db', contentType: 'b2/x-auto' })).json
      .fileId as string;
    const unfinished = (await raw.call('b2_start_large_file', { bucketId: raw.bucketId, fileName: 'db/unfinished', contentType: 'b2/x-auto' }))
      .json.fileId as string;
    for (const [fileId, n, body] of [
      [large, 1, partA],
      [large, 2, partB],
      [unfinished, 1, partA],
    ] as const) {
      const url = (await raw.call('b2_get_upload_part_url', { fileId })).json as { uploadUrl: string; authorizationToken: string };
      const res = await fetch(url.uploadUrl, {
        method: 'POST',
        headers: { Authorization: url.authorizationToken, 'X-Bz-Part-Number': String(n), 'X-Bz-Content-Sha1': sha1Hex(body) },
        body: bodyOf(body),
      });
      assert.equal(res.status, 200);
    }
    await raw.call('b2_finish_large_file', { fileId: large, partSha1Array: [sha1Hex(partA), sha1Hex(partB)] });
    const before = await raw.listVersions();
    const bucketId = raw.bucketId;
    await first.close();
    await writeFile(join(dataDir, 'tmp', 'leftover'), 'partial body of an interrupted upload');

    const second = await withLocalB2({ dataDir, minimumPartSize: 1000 });
    try {
      const again = await RawClient.open(second);
      assert.equal(again.bucketId, bucketId);
      assert.deepEqual(await again.listVersions(), before);
      assert.equal(Buffer.compare(Buffer.from(await (await again.download('db/app.db')).arrayBuffer()), small), 0);
      const largeBody = Buffer.from(await (await again.download('db/large.db')).arrayBuffer());
      assert.equal(Buffer.compare(largeBody, Buffer.concat([partA, partB])), 0);
      assert.equal((await again.download('db/gone.txt')).status, 404);
      const parts = await again.call('b2_list_parts', { fileId: unfinished });
      assert.deepEqual((parts.json.parts as Array<{ partNumber: number }>).map((p) => p.partNumber), [1]);
      assert.deepEqual(await readdir(join(dataDir, 'tmp')), []);

      const v2 = (await again.upload('db/app.db', Buffer.from('new'))).json.fileId as string;
      assert.ok(v2 > v1, 'new ids keep sorting after the old ones');
      assert.equal(await (await again.download('db/app.db')).text(), 'new');
    } finally {
      await second.close();
    }
  });
});
