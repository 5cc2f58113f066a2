import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planFetch } from '../../../src/core/delta/fetch-plan';
import { HASH_BYTES } from '../../../src/core/delta/manifest';
import { planParts, uploadedBytes, type PlannedPart } from '../../../src/core/delta/part-plan';

const MB = 1_000_000;
const BLOCK = 262_144;

/** A change map of a file of `size` bytes whose blocks holding the given byte offsets changed. */
function changedAt(size: number, ...offsets: number[]): boolean[] {
  const changed = new Array<boolean>(Math.ceil(size / BLOCK)).fill(false);
  for (const o of offsets) changed[Math.floor(o / BLOCK)] = true;
  return changed;
}

/** B2's rules, checked on every plan: contiguous, ≥ 2 parts, all but the last ≥ min, changed blocks uploaded. */
function assertValid(parts: PlannedPart[], size: number, changed: boolean[], min = 5 * MB): void {
  assert.ok(parts.length >= 2, 'at least two parts');
  let pos = 0;
  parts.forEach((p, i) => {
    assert.equal(p.start, pos, 'parts are contiguous');
    if (i < parts.length - 1) assert.ok(p.length >= min, `part ${i + 1} (${p.length} bytes) is below the minimum`);
    if (p.kind === 'copy') {
      for (let b = Math.floor(p.start / BLOCK); b * BLOCK < p.start + p.length; b++) assert.equal(changed[b], false, `copied block ${b} changed`);
    }
    pos += p.length;
  });
  assert.equal(pos, size, 'parts cover the file');
}

describe('part plan: which ranges to upload and which to copy server-side', () => {
  test('one changed page at the start and one in the middle of 1 GB: two 5 MB uploads, the rest copied', () => {
    const size = 1_073_741_824;
    const changed = changedAt(size, 0, 600 * MB);
    const parts = planParts({ size, blockSize: BLOCK, changed, minPartSize: 5 * MB })!;
    assertValid(parts, size, changed);
    assert.ok(uploadedBytes(parts) <= 11 * MB, `uploads ${uploadedBytes(parts)} bytes`);
    assert.deepEqual(parts.map((p) => p.kind), ['upload', 'copy', 'upload', 'copy']);
  });

  test('a file that grew: the new tail is uploaded, the last part may be small', () => {
    const size = 50 * MB + 1000;
    const changed = changedAt(size, 0, 50 * MB, 50 * MB + 999);
    const parts = planParts({ size, blockSize: BLOCK, changed, minPartSize: 5 * MB })!;
    assertValid(parts, size, changed);
    assert.equal(parts.at(-1)?.kind, 'upload');
    assert.equal(parts.at(-1)!.start + parts.at(-1)!.length, size);
  });

  test('a short unchanged run between two changes is uploaded, not copied', () => {
    const size = 40 * MB;
    const changed = changedAt(size, 0, 6 * MB, 8 * MB);
    const parts = planParts({ size, blockSize: BLOCK, changed, minPartSize: 5 * MB })!;
    assertValid(parts, size, changed);
    assert.deepEqual(parts.map((p) => p.kind), ['upload', 'copy']);
  });

  test('a short unchanged tail may be copied as the last part', () => {
    const size = 30 * MB;
    const changed = changedAt(size, 0, 21.5 * MB);
    const parts = planParts({ size, blockSize: BLOCK, changed, minPartSize: 5 * MB })!;
    assertValid(parts, size, changed);
    assert.equal(parts.at(-1)?.kind, 'copy');
    assert.ok(parts.at(-1)!.length < 5 * MB, 'the tail copied is shorter than a part');
  });

  test('no plan when the file is too small for two parts or when nothing can be copied', () => {
    assert.equal(planParts({ size: 9 * MB, blockSize: BLOCK, changed: changedAt(9 * MB, 0), minPartSize: 5 * MB }), undefined);
    const size = 20 * MB;
    assert.equal(planParts({ size, blockSize: BLOCK, changed: new Array(Math.ceil(size / BLOCK)).fill(true), minPartSize: 5 * MB }), undefined);
  });

  test('random change maps always give valid plans', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 300; run++) {
      const size = Math.floor(10 * MB + random() * 200 * MB);
      const changed = Array.from({ length: Math.ceil(size / BLOCK) }, () => random() < 0.01);
      changed[0] = true;
      const min = 5 * MB;
      const parts = planParts({ size, blockSize: BLOCK, changed, minPartSize: min, maxPartSize: 60 * MB });
      if (parts) {
        assertValid(parts, size, changed, min);
        assert.ok(parts.every((p) => p.length <= 60 * MB));
      }
    }
  });
});

describe('fetch plan: which blocks to download', () => {
  const hashes = (...ids: number[]): Buffer => Buffer.concat(ids.map((id) => Buffer.alloc(HASH_BYTES, id)));

  test('blocks found locally (same place or moved) are not fetched; missing ones are coalesced', () => {
    const target = { size: 6 * BLOCK - 10, blockSize: BLOCK, blockHashes: hashes(1, 9, 8, 4, 2, 7) };
    const base = { path: 'base', size: 5 * BLOCK, blockHashes: hashes(1, 2, 3, 4, 5) };
    const plan = planFetch(target, [base]);
    assert.deepEqual(plan.local, [
      { index: 0, source: 0, sourceIndex: 0 },
      { index: 3, source: 0, sourceIndex: 3 },
      { index: 4, source: 0, sourceIndex: 1 },
    ]);
    assert.deepEqual(plan.fetch, [
      { start: BLOCK, length: 2 * BLOCK },
      { start: 5 * BLOCK, length: BLOCK - 10 },
    ]);
    assert.equal(plan.fetchBytes, 3 * BLOCK - 10);
  });

  test('ranges are split at maxRangeBytes so they can be fetched in parallel', () => {
    const target = { size: 10 * BLOCK, blockSize: BLOCK, blockHashes: hashes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10) };
    const plan = planFetch(target, [], 3 * BLOCK);
    assert.deepEqual(plan.fetch.map((r) => r.length / BLOCK), [3, 3, 3, 1]);
  });
});
