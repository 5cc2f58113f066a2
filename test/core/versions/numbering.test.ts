import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numberVersions, parseVersionLabel, versionLabel, versionNumberOf, versionWithNumber } from '../../../src/core/versions/numbering';

// As B2 lists them: newest first.
const versions = [{ id: 'c' }, { id: 'b' }, { id: 'a' }];

test('the oldest version is v1 and the head has the highest number', () => {
  assert.deepEqual(
    numberVersions(versions).map(({ version, number }) => `${versionLabel(number)}=${version.id}`),
    ['v3=c', 'v2=b', 'v1=a'],
  );
  assert.equal(versionNumberOf(versions, 'c'), 3);
  assert.equal(versionNumberOf(versions, 'a'), 1);
  assert.equal(versionNumberOf(versions, 'gone'), undefined);
});

test('a number finds its version, and only numbers that exist do', () => {
  assert.equal(versionWithNumber(versions, 1)?.id, 'a');
  assert.equal(versionWithNumber(versions, 3)?.id, 'c');
  for (const missing of [0, 4, -1, 1.5]) assert.equal(versionWithNumber(versions, missing), undefined, String(missing));
});

test('"v7" reads as 7; other text is not a version number', () => {
  assert.equal(parseVersionLabel('v7'), 7);
  assert.equal(parseVersionLabel(' V12 '), 12);
  for (const text of ['7', 'v', 'v7a', 'version 7', '4_xyz']) assert.equal(parseVersionLabel(text), undefined, text);
});
