import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadInputError } from '../../../../src/core/errors';
import { checkNameAndInfo, decodeInfoValue } from '../../../../src/core/store/b2/file-info';

describe('file info rules', () => {
  it('accepts what B2 accepts', () => {
    checkNameAndInfo('db/app.db', { parent: '4_z1', 'lock-id': 'a_b', author: 'Zoë' });
  });

  it('refuses upper-case or reserved keys, too many keys, too many bytes and bad names', () => {
    const refuse = (name: string, info: Record<string, string>): void => assert.throws(() => checkNameAndInfo(name, info), BadInputError);
    refuse('a', { Author: 'x' });
    refuse('a', { 'b2-content-type': 'x' });
    refuse('a', { 'with space': 'x' });
    refuse('a', Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])));
    refuse('a', { big: 'é'.repeat(1200) }); // 2400 bytes of UTF-8, 7200 once percent-encoded
    refuse('', {});
    refuse('line\nbreak', {});
  });

  it('decodes percent-encoded header values, keeping malformed ones as sent', () => {
    assert.equal(decodeInfoValue('Zo%C3%AB%20100%25'), 'Zoë 100%');
    assert.equal(decodeInfoValue('100%'), '100%');
  });
});
