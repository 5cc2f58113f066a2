import { connect as connectTcp, isIP, type OnReadOpts, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { BadInputError, CancelledError } from '../../errors';
import { kindOfCode, PROXY_REFUSED, TransportError, type TransportErrorKind } from '../b2/transport-error';
import { parseResponseHead } from './response-head';

const MAX_HEAD_BYTES = 64 * 1024;

/** A proxy URL as given (`http://user:pass@host:3128`; a bare `host:port` means http). */
export function parseProxyUrl(value: string, source: string): URL {
  const text = value.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new BadInputError(`The proxy "${withoutCredentials(text)}" (${source}) is not an http:// or https:// URL.`, 'Give the proxy as http://host:port (user:password@ before the host if it needs them).');
}

/** A proxy setting as it may be shown: what comes before an @ (user and password) left out. */
function withoutCredentials(text: string): string {
  return text.replace(/^((?:[a-z][a-z0-9+.-]*:\/\/)?)[^/@]*@/i, '$1…@');
}

/**
 * The proxy for a download from `target`: `explicit` when given, else HTTPS_PROXY (https targets),
 * HTTP_PROXY (http targets) or ALL_PROXY, either case; none when NO_PROXY names the host.
 */
export function proxyFor(target: URL, explicit: URL | undefined, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  if (bypassed(target, env['NO_PROXY'] ?? env['no_proxy'] ?? '')) return undefined;
  if (explicit) return explicit;
  const names = target.protocol === 'https:' ? ['HTTPS_PROXY', 'https_proxy'] : ['HTTP_PROXY', 'http_proxy'];
  const name = [...names, 'ALL_PROXY', 'all_proxy'].find((n) => (env[n] ?? '').trim() !== '');
  return name === undefined ? undefined : parseProxyUrl(env[name] ?? '', name);
}

/** NO_PROXY: `*`, or hosts (with optional port) that match themselves and their subdomains. */
function bypassed(target: URL, noProxy: string): boolean {
  const host = hostOf(target).toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .some((entry) => {
      if (entry === '*') return true;
      const match = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase()) as RegExpExecArray;
      const name = (match[1] ?? '').replace(/^\*?\./, '').replace(/^\[(.*)\]$/, '$1');
      return (match[2] === undefined || match[2] === port) && (host === name || host.endsWith(`.${name}`));
    });
}

/** The host to connect to or to name in TLS: an IPv6 address without its brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** `Proxy-Authorization` for a proxy URL that carries a user name, else undefined. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '') return undefined;
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

/**
 * A TCP connection to the URL's host and port, TLS for https: (`onread`: reads land in the
 * caller's buffers; tls.connect takes it too, documented, though @types/node does not say so).
 */
export function connectTo(url: URL, onread?: OnReadOpts): Socket {
  const host = hostOf(url);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (url.protocol !== 'https:') return connectTcp({ host, port, ...(onread ? { onread } : {}) });
  const options: ConnectionOptions & { onread?: OnReadOpts } = { host, port, servername: isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'], ...(onread ? { onread } : {}) };
  return connectTls(options);
}

/**
 * A tunnel through the proxy to `target`'s host and port (HTTP CONNECT), for a TLS connection to
 * run inside it. Resolves with the socket once the proxy answered 200, paused, nothing read beyond.
 */
export function openTunnel(proxy: URL, target: URL, signal: AbortSignal | undefined, idleTimeoutMs: number): Promise<Socket> {
  const authority = `${target.hostname}:${target.port || (target.protocol === 'https:' ? 443 : 80)}`;
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
  const authorization = proxyAuthorization(proxy);
  if (authorization) lines.push(`Proxy-Authorization: ${authorization}`);
  return new Promise((resolve, reject) => {
    const socket = connectTo(proxy);
    let head = Buffer.alloc(0);
    const done = (error?: unknown): void => {
      socket.removeListener('data', onData).removeListener('error', onError).removeListener('close', onClose).removeListener('timeout', onTimeout);
      socket.setTimeout(0);
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) return;
      socket.destroy();
      reject(error);
    };
    const fail = (kind: TransportErrorKind, message: string, code?: string): void =>
      done(new TransportError(kind, `Through the proxy ${proxy.origin}: ${message}`, { code, origin: proxy.origin }));
    const onAbort = (): void => done(new CancelledError());
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      let parsed;
      try {
        parsed = parseResponseHead(head);
      } catch (error) {
        fail('reset', error instanceof Error ? error.message : String(error), 'ERR_BAD_RESPONSE');
        return;
      }
      if (parsed === undefined) {
        if (head.length > MAX_HEAD_BYTES) fail('reset', 'the answer to CONNECT is too long.', 'ERR_BAD_RESPONSE');
        return;
      }
      if (parsed.status !== 200) {
        const refused = parsed.status === 407 || parsed.status === 403;
        fail('connect', `the proxy refused the tunnel to ${authority} (HTTP ${parsed.status}).`, refused ? PROXY_REFUSED : undefined);
        return;
      }
      socket.pause();
      done();
      if (head.length > parsed.bytes) socket.unshift(head.subarray(parsed.bytes));
      resolve(socket);
    };
    const onError = (error: NodeJS.ErrnoException): void => fail(kindOfCode(error.code) ?? 'connect', error.message, error.code);
    const onClose = (): void => fail('reset', 'the proxy closed the connection before the tunnel was open.');
    const onTimeout = (): void => fail('timeout', `no answer to CONNECT for ${idleTimeoutMs / 1000} s.`);
    socket.on('data', onData).on('error', onError).on('close', onClose).on('timeout', onTimeout);
    socket.setTimeout(idleTimeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}
