import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FileRecord } from '../../src/b2-server/storage/model';
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

  it('keeps what copied parts refer to across a restart, and frees it with the last reference after it', async () => {
    const source = randomBytes(4000);
    const first = await withLocalB2({ dataDir, minimumPartSize: 1000 });
    const raw = await RawClient.open(first);
    const sourceId = (await raw.upload('refs/source.bin', source)).json.fileId as string;
    const copyId = await raw.buildLargeFile('refs/copy.bin', [{ copy: sourceId, range: 'bytes=1000-2999' }, { copy: sourceId, range: 'bytes=0-99' }]);
    await first.close();

    const second = await withLocalB2({ dataDir, minimumPartSize: 1000 });
    try {
      const again = await RawClient.open(second);
      assert.equal((await again.call('b2_delete_file_version', { fileName: 'refs/source.bin', fileId: sourceId })).status, 200);
      const copy = Buffer.from(await (await again.downloadById(copyId)).arrayBuffer());
      assert.ok(copy.equals(Buffer.concat([source.subarray(1000, 3000), source.subarray(0, 100)])), 'the copy reads right');
      assert.ok((await readdir(join(dataDir, 'content'))).includes(sourceId), 'the copy still refers to it');
      assert.equal((await again.call('b2_delete_file_version', { fileName: 'refs/copy.bin', fileId: copyId })).status, 200);
      assert.equal((await readdir(join(dataDir, 'content'))).includes(sourceId), false, 'freed with the last reference');
    } finally {
      await second.close();
    }
  });

  it('reads the records of earlier versions of the server (no segment offsets, parts with one path)', async () => {
    const partA = randomBytes(1000);
    const partB = randomBytes(20);
    const first = await withLocalB2({ dataDir, minimumPartSize: 1000 });
    const raw = await RawClient.open(first);
    const finishedId = await raw.buildLargeFile('old/finished.db', [{ upload: partA }, { upload: partB }]);
    const unfinishedId = await raw.startLargeFile('old/unfinished.db');
    await raw.uploadPart(unfinishedId, 1, partA);
    await first.close();
    const rewrite = async (fileId: string, change: (record: Record<string, unknown>) => void): Promise<void> => {
      const path = join(dataDir, 'files', `${fileId}.json`);
      const record = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      change(record);
      await writeFile(path, JSON.stringify(record));
    };
    await rewrite(finishedId, (record) => {
      record.segments = (record.segments as FileRecord['segments']).map(({ path, length }) => ({ path, length }));
      delete record.partDigests;
    });
    await rewrite(unfinishedId, (record) => {
      record.parts = (record.parts as NonNullable<FileRecord['parts']>).map(({ segments, ...part }) => ({ ...part, path: segments[0]?.path }));
    });

    const second = await withLocalB2({ dataDir, minimumPartSize: 1000 });
    try {
      const again = await RawClient.open(second);
      assert.ok(Buffer.from(await (await again.downloadById(finishedId)).arrayBuffer()).equals(Buffer.concat([partA, partB])), 'finished');
      await again.uploadPart(unfinishedId, 2, partB);
      const done = await again.call('b2_finish_large_file', { fileId: unfinishedId, partSha1Array: [sha1Hex(partA), sha1Hex(partB)] });
      assert.equal(done.status, 200, JSON.stringify(done.json));
      assert.ok(Buffer.from(await (await again.downloadById(unfinishedId)).arrayBuffer()).equals(Buffer.concat([partA, partB])), 'finished after');
      const copied = await again.buildLargeFile('old/copied.db', [{ copy: finishedId, range: 'bytes=10-1019' }, { copy: unfinishedId }]);
      const probe = await again.copyPart(finishedId, await again.startLargeFile('old/probe.db'), 1);
      assert.equal(probe.json.contentSha1, sha1Hex(Buffer.concat([partA, partB])), 'whole copy of a large file that kept no part digests');
      const body = Buffer.from(await (await again.downloadById(copied)).arrayBuffer());
      assert.ok(body.equals(Buffer.concat([Buffer.concat([partA, partB]).subarray(10, 1020), partA, partB])), 'copied from both');
    } finally {
      await second.close();
    }
  });
});
