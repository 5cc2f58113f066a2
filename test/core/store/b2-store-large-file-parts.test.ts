import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { BadInputError, CancelledError } from '../../../src/core/errors';
import type { LargeFileDraft, PartSource, RemoteVersion } from '../../../src/core/store/store';
import { connect } from '../../b2-server/b2-client';
import { randomFile, sha1Of, storeFixture, type StoreFixture } from './store-fixture';

/** The local server's absoluteMinimumPartSize in these tests: parts of a few hundred KB. */
const MIN_PART = 100_000;

describe('B2Store builds large files from uploaded and server-side copied parts', () => {
  let f: StoreFixture;
  let source: RemoteVersion;
  let sourceData: Buffer;
  let local: { path: string; data: Buffer };
  before(async () => {
    f = await storeFixture({}, { minimumPartSize: MIN_PART });
    const file = await randomFile(f.dir, 'source.db', 350_000);
    sourceData = file.data;
    source = await f.store.uploadFile(file.path, 'parts/source.db');
    local = await randomFile(f.dir, 'local.db', 200_000);
  });
  afterEach(async () => {
    f.b2.server.faults.clear();
    f.b2.server.requests.clear();
    assert.deepEqual(await f.store.listUnfinishedLargeFiles('parts/'), [], 'an unfinished large file was left behind');
  });
  after(async () => {
    await f.close();
  });

  const copy = (partNumber: number, start: number, length: number): PartSource => ({ partNumber, kind: 'copy', sourceFileId: source.id, start, length });
  const upload = (partNumber: number, start: number, length: number): PartSource => ({ partNumber, kind: 'upload', path: local.path, start, length });
  const bytesOf = (part: PartSource): Buffer => (part.kind === 'copy' ? sourceData : local.data).subarray(part.start, part.start + part.length);
  const start = (name: string, expected: Buffer): Promise<LargeFileDraft> =>
    f.store.startLargeFile(name, { info: { large_file_sha1: sha1Of(expected), author: 'me' } });

  it('reports the account minimum part size', () => {
    assert.equal(f.store.minimumPartSize, MIN_PART);
  });

  it('finishes a file byte-identical to the parts, copied ranges at part boundaries and at the source end', async () => {
    const parts = [
      copy(1, 0, MIN_PART), // from the source's first byte
      upload(2, 50_000, 120_000), // a slice from the middle of a local file
      copy(3, MIN_PART, MIN_PART), // right where part 1 stopped
      copy(4, 250_000, 100_000), // up to the source's last byte
      upload(5, 0, 1000), // a short last part
    ];
    const expected = Buffer.concat(parts.map(bytesOf));
    const draft = await start('parts/built.db', expected);
    assert.equal(draft.name, 'parts/built.db');
    const open = await f.store.listUnfinishedLargeFiles('parts/');
    assert.deepEqual(
      open.map((v) => [v.id, v.action, v.info['author']]),
      [[draft.fileId, 'start', 'me']],
    );

    const progress: Array<[number, number]> = [];
    // Out of order, in two calls: finishing lists every part by number whatever the order they went in.
    await f.store.uploadParts(draft, [parts[3], parts[1], parts[4]] as PartSource[], { onProgress: (d, t) => progress.push([d, t]) });
    await f.store.uploadParts(draft, [parts[2], parts[0]] as PartSource[]);
    assert.deepEqual(progress.at(-1), [121_000, 121_000], 'copied parts count no bytes sent');
    assert.equal(f.b2.server.requests.of('b2_copy_part', 200).length, 3);
    assert.equal(f.b2.server.requests.of('b2_upload_part', 200).length, 2);

    const version = await f.store.finishLargeFile(draft);
    assert.equal(version.id, draft.fileId);
    assert.equal(version.action, 'upload');
    assert.equal(version.size, expected.length);
    assert.equal(version.sha1, sha1Of(expected));
    assert.deepEqual(version.info, { large_file_sha1: sha1Of(expected), author: 'me' });

    const target = join(f.dir, 'built-copy.db');
    await f.store.downloadToFile(version, target);
    assert.ok((await readFile(target)).equals(expected));
    const heads = [];
    for await (const head of f.store.listHeads('parts/')) heads.push(head.id);
    assert.ok(heads.includes(version.id));
  });

  it('retries a refused copy and a cut upload of a part', async () => {
    const parts = [copy(1, 0, 200_000), upload(2, 0, 150_000)];
    const expected = Buffer.concat(parts.map(bytesOf));
    f.b2.server.faults.serviceUnavailable('b2_copy_part');
    f.b2.server.faults.disconnect('b2_upload_part', 50_000);
    const draft = await start('parts/retried.db', expected);
    await f.store.uploadParts(draft, parts);
    const version = await f.store.finishLargeFile(draft);
    assert.equal(f.b2.server.requests.of('b2_copy_part', 503).length, 1);
    assert.equal(f.b2.server.requests.of('b2_upload_part', 0).length, 1);
    assert.ok((await f.store.downloadBytes(version)).equals(expected));
  });

  it('returns the version when the file was finished but the answer never came back', async () => {
    const parts = [copy(1, 0, MIN_PART), copy(2, MIN_PART, 10)];
    const expected = Buffer.concat(parts.map(bytesOf));
    const draft = await start('parts/lost-answer.db', expected);
    await f.store.uploadParts(draft, parts);
    // Someone (the store's own earlier attempt) finished it already.
    const other = await connect(f.b2);
    await other.finishLargeFile({ fileId: draft.fileId, partSha1Array: parts.map((p) => sha1Of(bytesOf(p))) });
    const version = await f.store.finishLargeFile(draft);
    assert.equal(version.id, draft.fileId);
    assert.equal(version.sha1, sha1Of(expected));
  });

  it('refuses a copy that runs past the end of its source', async () => {
    const draft = await start('parts/past-end.db', Buffer.alloc(0));
    await assert.rejects(f.store.uploadParts(draft, [copy(1, 300_000, MIN_PART)]), (error: unknown) => {
      assert.ok(error instanceof BadInputError);
      assert.match(error.message, /shorter/);
      return true;
    });
    await f.store.cancelLargeFile(draft.fileId);
  });

  it('refuses bad part numbers and ranges before sending anything', async () => {
    const draft = await start('parts/bad.db', Buffer.alloc(0));
    f.b2.server.requests.clear();
    for (const parts of [[copy(0, 0, 10)], [copy(10_001, 0, 10)], [copy(1, 0, 10), upload(1, 0, 10)], [upload(1, 0, 0)], [copy(1, -1, 10)]]) {
      await assert.rejects(f.store.uploadParts(draft, parts), BadInputError);
    }
    await assert.rejects(f.store.finishLargeFile(draft), /no part was uploaded/);
    assert.equal(f.b2.server.requests.entries.length, 0);
    await f.store.uploadParts(draft, [copy(2, 0, 10)]);
    await assert.rejects(f.store.finishLargeFile(draft), /part 1 was not uploaded/);
    await f.store.cancelLargeFile(draft.fileId);
  });

  it('cancels an unfinished file, and cancelling one already gone (cancelled or finished) is no error', async () => {
    const draft = await start('parts/cancelled.db', Buffer.alloc(0));
    await f.store.uploadParts(draft, [copy(1, 0, MIN_PART)]);
    await f.store.cancelLargeFile(draft.fileId);
    assert.deepEqual(await f.store.listUnfinishedLargeFiles('parts/'), []);
    await f.store.cancelLargeFile(draft.fileId);

    const parts = [copy(1, 0, MIN_PART), copy(2, 0, 1)];
    const finished = await start('parts/finished.db', Buffer.concat(parts.map(bytesOf)));
    await f.store.uploadParts(finished, parts);
    const version = await f.store.finishLargeFile(finished);
    await f.store.cancelLargeFile(finished.fileId);
    assert.ok((await f.store.downloadBytes(version)).length === MIN_PART + 1, 'the finished file is still there');
  });

  it('stops every part when aborted', async () => {
    const draft = await start('parts/aborted.db', Buffer.alloc(0));
    f.b2.server.faults.delay('b2_copy_part', 300, 10);
    const controller = new AbortController();
    const parts = Array.from({ length: 8 }, (_, i) => copy(i + 1, 0, MIN_PART));
    const started = performance.now();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(f.store.uploadParts(draft, parts, { signal: controller.signal }), CancelledError);
    assert.ok(performance.now() - started < 1000, 'it waited for the parts under way');
    assert.ok(f.b2.server.requests.of('b2_copy_part').length <= 4, 'parts kept starting after the abort');
    await f.store.cancelLargeFile(draft.fileId);
  });
});
