import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sha1File, sha256File } from '../../src/core/hash';
import { tempDir } from './sqlite/fixtures';

describe('sha1File / sha256File', () => {
  const dir = tempDir();

  it('hashes known content', async () => {
    const path = join(dir, 'abc.txt');
    writeFileSync(path, 'abc');
    assert.equal(await sha1File(path), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(await sha256File(path), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes a file larger than one read chunk', async () => {
    const path = join(dir, 'big.bin');
    const data = randomBytes(5 * 1024 * 1024 + 17);
    writeFileSync(path, data);
    assert.equal(await sha1File(path), createHash('sha1').update(data).digest('hex'));
  });

  it('stops when aborted', async () => {
    const path = join(dir, 'big.bin');
    await assert.rejects(sha1File(path, AbortSignal.abort()), { name: 'AbortError' });
  });
});
