import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { BadInputError } from '../../../../src/core/errors';
import { digestFile, digestRange } from '../../../../src/core/store/upload/file-digest';
import { sha1Of } from '../store-fixture';

describe('digestFile', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'b2m-digest-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hashes the whole file and each part in one pass, across read-buffer boundaries', async () => {
    const data = randomBytes(9 * 1024 * 1024 + 17);
    const path = join(dir, 'f');
    await writeFile(path, data);
    const partSize = 3_000_001;
    const digest = await digestFile(path, partSize);
    assert.equal(digest.size, data.length);
    assert.equal(digest.sha1, sha1Of(data));
    const expected = [];
    for (let start = 0; start < data.length; start += partSize) expected.push(sha1Of(data.subarray(start, start + partSize)));
    assert.deepEqual(digest.partSha1s, expected);
  });

  it('hashes an empty file, with no parts', async () => {
    const path = join(dir, 'empty');
    await writeFile(path, '');
    assert.deepEqual(await digestFile(path, 5_000_000), { size: 0, sha1: sha1Of(Buffer.alloc(0)), partSha1s: [] });
  });

  it('hashes a byte range across read-buffer boundaries, and refuses one past the end of the file', async () => {
    const data = randomBytes(9 * 1024 * 1024);
    const path = join(dir, 'ranged');
    await writeFile(path, data);
    assert.equal(await digestRange(path, 1234, 5 * 1024 * 1024), sha1Of(data.subarray(1234, 1234 + 5 * 1024 * 1024)));
    assert.equal(await digestRange(path, data.length - 1, 1), sha1Of(data.subarray(data.length - 1)));
    await assert.rejects(digestRange(path, data.length - 10, 11), BadInputError);
  });
});
