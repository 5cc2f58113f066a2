import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadInputError } from '../../../../src/core/errors';
import { parseProxyUrl, proxyAuthorization, proxyFor } from '../../../../src/core/store/download/proxy';

const b2 = new URL('https://f001.backblazeb2.com/file/bucket/app.db');
const local = new URL('http://127.0.0.1:9779/file/bucket/app.db');
const href = (url: URL | undefined): string | undefined => url?.href;

describe('proxyFor', () => {
  it('takes HTTPS_PROXY for https, HTTP_PROXY for http, ALL_PROXY for either, in either case', () => {
    const env = { HTTPS_PROXY: 'http://secure:3128', http_proxy: 'plain:8080' };
    assert.equal(href(proxyFor(b2, undefined, env)), 'http://secure:3128/');
    assert.equal(href(proxyFor(local, undefined, env)), 'http://plain:8080/');
    assert.equal(href(proxyFor(b2, undefined, { all_proxy: 'http://all:1' })), 'http://all:1/');
    assert.equal(proxyFor(b2, undefined, {}), undefined);
  });

  it('prefers the explicit proxy over the environment', () => {
    assert.equal(href(proxyFor(b2, new URL('http://vscode:3128'), { HTTPS_PROXY: 'http://env:1' })), 'http://vscode:3128/');
  });

  it('leaves out the hosts NO_PROXY names: exact, subdomains, with or without port, or everything', () => {
    const proxy = { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1' };
    const bypass = (noProxy: string, url: URL): boolean => proxyFor(url, undefined, { ...proxy, NO_PROXY: noProxy }) === undefined;
    assert.ok(bypass('backblazeb2.com', b2));
    assert.ok(bypass('.backblazeb2.com', b2));
    assert.ok(bypass('*.backblazeb2.com', b2));
    assert.ok(bypass('example.org, 127.0.0.1:9779', local));
    assert.ok(!bypass('127.0.0.1:80', local));
    assert.ok(!bypass('zbackblazeb2.com', b2));
    assert.ok(bypass('*', b2));
    assert.ok(proxyFor(b2, new URL('http://explicit:1'), { no_proxy: 'f001.backblazeb2.com' }) === undefined);
  });

  it('refuses a proxy that is not http or https, naming where it came from', () => {
    assert.throws(() => proxyFor(b2, undefined, { HTTPS_PROXY: 'socks5://p:1080' }), (error: unknown) => {
      assert.ok(error instanceof BadInputError);
      assert.match(error.message, /HTTPS_PROXY/);
      return true;
    });
    assert.throws(() => parseProxyUrl('http://', 'the proxy option'), BadInputError);
  });

  it('never repeats the password of a proxy it refuses', () => {
    assert.throws(() => parseProxyUrl('socks5://alice:s3cret@p:1080', 'http.proxy'), (error: unknown) => {
      assert.ok(error instanceof BadInputError);
      assert.doesNotMatch(error.message, /s3cret|alice/);
      assert.match(error.message, /"socks5:\/\/…@p:1080" \(http\.proxy\)/);
      return true;
    });
  });

  it('sends the credentials of the proxy URL as Basic authorization', () => {
    assert.equal(proxyAuthorization(new URL('http://al%40ice:p%3Ass@p:1')), `Basic ${Buffer.from('al@ice:p:ss').toString('base64')}`);
    assert.equal(proxyAuthorization(new URL('http://p:1')), undefined);
  });
});
