import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { forkOf, mergeBase, readChain } from '../../../src/core/versions/chain';
import { versionLabel } from '../../../src/core/versions/numbering';
import type { DatabaseVersion } from '../../../src/core/versions/version-info';

/** Versions given oldest first as [id, parent] pairs; returned newest first, as B2 lists them. */
function history(...pairs: Array<[string, string | undefined]>): DatabaseVersion[] {
  return pairs
    .map(([id, parent], i) => ({ id, name: 'app.db', size: 1, uploadTimestamp: 1000 + i, ...(parent ? { parent } : {}) }))
    .reverse();
}

describe('history read as a chain', () => {
  test('a linear history has no forks; numbers follow upload order', () => {
    const h = readChain(history(['a', undefined], ['b', 'a'], ['c', 'b']));
    assert.equal(h.head?.id, 'c');
    assert.deepEqual([...h.chain], ['c', 'b', 'a']);
    assert.deepEqual(h.forks, []);
    assert.deepEqual(h.versions.map((v) => versionLabel(v.number)), ['v3', 'v2', 'v1']);
  });

  test('two versions with one parent: the older one is overtaken by the head', () => {
    // v1 ← v2 (bob) and v1 ← v3 (alice): the head v3 lacks bob's v2.
    const h = readChain(history(['v1', undefined], ['bob', 'v1'], ['alice', 'v1']));
    assert.deepEqual([...h.chain], ['alice', 'v1']);
    assert.equal(h.forks.length, 1);
    const fork = forkOf(h, 'bob');
    assert.equal(fork?.overtaken.number, 2);
    assert.equal(fork?.forkPoint?.id, 'v1');
    assert.equal(fork?.overtakenBy?.id, 'alice');
    assert.equal(mergeBase(h, 'bob')?.id, 'v1', 'the common ancestor of the overtaken version and the head');
    assert.equal(mergeBase(h, 'v1')?.id, 'v1');
  });

  test('a later version built on the head heals the chain, the overtaken one stays marked', () => {
    const h = readChain(history(['v1', undefined], ['bob', 'v1'], ['alice', 'v1'], ['bob2', 'alice']));
    assert.deepEqual([...h.chain], ['bob2', 'alice', 'v1']);
    assert.deepEqual(h.forks.map((f) => f.overtaken.id), ['bob']);
    assert.equal(forkOf(h, 'bob')?.overtakenBy?.id, 'alice');
  });

  test('a branch of two versions off the chain: both overtaken, both from the same fork point', () => {
    const h = readChain(history(['v1', undefined], ['x1', 'v1'], ['y1', 'v1'], ['x2', 'x1'], ['y2', 'y1']));
    assert.deepEqual(h.forks.map((f) => [f.overtaken.id, f.forkPoint?.id, f.overtakenBy?.id]), [
      ['x2', 'v1', 'y1'],
      ['x1', 'v1', 'y1'],
    ]);
    assert.equal(mergeBase(h, 'x2')?.id, 'v1');
  });

  test('a version uploaded by another tool (no parent) follows the upload before it', () => {
    const h = readChain(history(['a', undefined], ['b', 'a'], ['foreign', undefined], ['c', 'foreign']));
    assert.deepEqual([...h.chain], ['c', 'foreign', 'b', 'a']);
    assert.deepEqual(h.forks, []);
  });

  test('a parent that is no longer listed ends the chain without inventing forks below it', () => {
    const h = readChain(history(['old', undefined], ['b', 'deleted'], ['c', 'b']));
    assert.deepEqual([...h.chain], ['c', 'b']);
    assert.deepEqual(h.forks, [], 'versions older than the oldest reachable ancestor are not called overtaken');
    assert.equal(mergeBase(h, 'old'), undefined);
  });

  test('an empty history has no head', () => {
    const h = readChain([]);
    assert.equal(h.head, undefined);
    assert.deepEqual(h.forks, []);
  });
});
