import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { hashBlock, scanBlocks } from '../../../src/core/delta/block-scan';
import { HASH_BYTES } from '../../../src/core/delta/manifest';

describe('block scan: one read gives the SHA-1, block hashes and changed blocks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-scan-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const BLOCK = 64 * 1024;

  test('hashes match a direct computation, for sizes around block and chunk edges', async () => {
    for (const size of [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 4 * 1024 * 1024 + 3]) {
      const path = join(dir, `f${size}`);
      const bytes = randomBytes(size);
      writeFileSync(path, bytes);
      const scan = await scanBlocks(path, BLOCK);
      assert.equal(scan.sha1, createHash('sha1').update(bytes).digest('hex'));
      assert.equal(scan.size, size);
      assert.equal(scan.blockHashes.length, Math.ceil(size / BLOCK) * HASH_BYTES);
      for (let i = 0; i * BLOCK < size; i++) {
        assert.ok(scan.blockHashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES).equals(hashBlock(bytes.subarray(i * BLOCK, (i + 1) * BLOCK))));
      }
      assert.ok(scan.changed.every(Boolean), 'without a reference every block counts as changed');
    }
  });

  test('against a reference: equal blocks keep its hashes, changed and appended ones are marked', async () => {
    const base = randomBytes(10 * BLOCK + 500);
    const basePath = join(dir, 'base');
    writeFileSync(basePath, base);
    const baseScan = await scanBlocks(basePath, BLOCK);
    const next = Buffer.concat([base, randomBytes(BLOCK)]);
    next.writeUInt8(next.readUInt8(3) ^ 1, 3); // block 0
    next.writeUInt8(next.readUInt8(7 * BLOCK + 9) ^ 1, 7 * BLOCK + 9); // block 7
    const nextPath = join(dir, 'next');
    writeFileSync(nextPath, next);
    const scan = await scanBlocks(nextPath, BLOCK, { reference: { path: basePath, blockHashes: baseScan.blockHashes } });
    const changedBlocks = scan.changed.flatMap((c, i) => (c ? [i] : []));
    assert.deepEqual(changedBlocks, [0, 7, 10, 11], 'block 10 was the short last block of the reference and now is full');
    const direct = await scanBlocks(nextPath, BLOCK);
    assert.ok(scan.blockHashes.equals(direct.blockHashes), 'reused hashes equal freshly computed ones');
    assert.equal(scan.sha1, createHash('sha1').update(readFileSync(nextPath)).digest('hex'));
  });

  test('a file that shrank: blocks past its end are gone, the new last block differs', async () => {
    const base = randomBytes(6 * BLOCK);
    const basePath = join(dir, 'base2');
    writeFileSync(basePath, base);
    const baseScan = await scanBlocks(basePath, BLOCK);
    const shortPath = join(dir, 'short');
    writeFileSync(shortPath, base.subarray(0, 3 * BLOCK + 10));
    const scan = await scanBlocks(shortPath, BLOCK, { reference: { path: basePath, blockHashes: baseScan.blockHashes } });
    assert.deepEqual(scan.changed, [false, false, false, true]);
  });
});
