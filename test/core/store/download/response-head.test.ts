import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TransportError } from '../../../../src/core/store/b2/transport-error';
import { parseResponseHead } from '../../../../src/core/store/download/response-head';

describe('parseResponseHead', () => {
  const head = (text: string): Buffer => Buffer.from(text, 'latin1');

  it('waits for the blank line that ends the head', () => {
    assert.equal(parseResponseHead(head('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n')), undefined);
  });

  it('reads the status, lower-cased headers (repeats joined) and where the body starts', () => {
    const text = 'HTTP/1.1 206 Partial Content\r\nContent-Length: 5\r\nX-Bz-Info-A: 1\r\nx-bz-info-a: 2\r\nContent-Range: bytes 0-4/9\r\n\r\n';
    assert.deepEqual(parseResponseHead(head(`${text}hello`)), {
      status: 206,
      headers: { 'content-length': '5', 'x-bz-info-a': '1, 2', 'content-range': 'bytes 0-4/9' },
      contentLength: 5,
      bytes: text.length,
    });
  });

  it('leaves the length unknown for a chunked or undelimited body', () => {
    assert.equal(parseResponseHead(head('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n'))?.contentLength, undefined);
    assert.equal(parseResponseHead(head('HTTP/1.0 500 Oops\r\n\r\n'))?.contentLength, undefined);
  });

  it('refuses an answer that is not HTTP/1.x', () => {
    assert.throws(() => parseResponseHead(head('SSH-2.0-OpenSSH\r\n\r\n')), (error: unknown) => error instanceof TransportError && error.kind === 'reset');
  });
});
