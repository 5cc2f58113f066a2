import { TransportError } from '../b2/transport-error';

export interface ResponseHead {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string | undefined>;
  /** Undefined when the body is not delimited by Content-Length (chunked, or up to the close). */
  contentLength: number | undefined;
  /** Bytes of the head, its closing blank line included: the body starts there. */
  bytes: number;
}

/** Parses the HTTP/1.x response head at the start of `data`; undefined while it is incomplete. */
export function parseResponseHead(data: Buffer): ResponseHead | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = data.toString('latin1', 0, end).split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!status) throw badResponse(`The download answer does not start like HTTP/1.1: ${JSON.stringify(statusLine.slice(0, 80))}.`);
  const headers: Record<string, string | undefined> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const length = Number(headers['content-length']);
  const delimited = headers['transfer-encoding'] === undefined && headers['content-length'] !== undefined && Number.isSafeInteger(length) && length >= 0;
  return { status: Number(status[1]), headers, contentLength: delimited ? length : undefined, bytes: end + 4 };
}

/** A malformed answer: worth a retry, like a connection that broke. */
export function badResponse(message: string): TransportError {
  return new TransportError('reset', message, { code: 'ERR_BAD_RESPONSE' });
}
