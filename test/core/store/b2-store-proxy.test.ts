import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { after, afterEach, before, describe, it } from 'node:test';
import { RemoteError } from '../../../src/core/errors';
import { startForwardProxy, type ForwardProxy } from '../../support/forward-proxy';
import { withLocalB2, type LocalB2 } from '../../support/local-b2';
import { MB, randomFile, storeFixture, type StoreFixture } from './store-fixture';

// The machine's own proxy settings (a CI runner's no_proxy=localhost, say) must not decide these tests.
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];
const withoutProxyVariables = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(env).filter(([name]) => !PROXY_VARIABLES.includes(name)));

describe('B2Store downloads through proxies', () => {
  let f: StoreFixture;
  let proxy: ForwardProxy;
  const machineEnv = { ...process.env };
  before(async () => {
    for (const name of PROXY_VARIABLES) delete process.env[name];
    f = await storeFixture();
    proxy = await startForwardProxy({ credentials: 'alice:s3cret' });
  });
  afterEach(() => {
    proxy.forwarded.length = 0;
    for (const name of PROXY_VARIABLES) delete process.env[name];
  });
  after(async () => {
    await proxy.close();
    await f.close();
    for (const name of PROXY_VARIABLES) if (machineEnv[name] !== undefined) process.env[name] = machineEnv[name];
  });

  const withCredentials = (): string => proxy.url.replace('http://', 'http://alice:s3cret@');

  it('goes through the proxy named in HTTP_PROXY, and around it for the hosts in NO_PROXY', async () => {
    const source = await randomFile(f.dir, 'env.db', 2 * MB);
    const version = await f.store.uploadFile(source.path, 'proxy/env.db');
    process.env.HTTP_PROXY = withCredentials();
    const store = await f.open({ downloadSegmentSize: MB / 2, downloadConcurrency: 2 });
    f.b2.server.requests.clear();
    assert.ok((await store.downloadBytes(version)).equals(source.data));
    await store.downloadToFile(version, join(f.dir, 'env-copy.db'));
    const downloads = f.b2.server.requests.of('download').length;
    assert.equal(proxy.forwarded.filter((url) => url.startsWith(`${f.b2.endpoint}/b2api/v2/b2_download_file_by_id`)).length, downloads, 'a download went around the proxy');

    process.env.NO_PROXY = '127.0.0.1';
    proxy.forwarded.length = 0;
    assert.ok((await store.downloadBytes(version)).equals(source.data));
    assert.deepEqual(proxy.forwarded, []);
  });

  it('explains a proxy that wants credentials, without retrying', async () => {
    const version = await f.store.uploadBytes('proxy/refused', Buffer.from('x'));
    const store = await f.open({ proxy: proxy.url });
    await assert.rejects(store.downloadBytes(version), (error: unknown) => {
      assert.ok(error instanceof RemoteError);
      assert.match(error.message, new RegExp(`The proxy ${proxy.url} wants credentials \\(HTTP 407\\)`));
      assert.match(error.hint ?? '', /user:password@host:port/);
      return true;
    });
    assert.equal(proxy.forwarded.length, 0);
  });

  it('fails fast, naming the proxy, when nothing listens there', async () => {
    const gone = await startForwardProxy();
    await gone.close();
    const version = await f.store.uploadBytes('proxy/unreachable', Buffer.from('x'));
    const store = await f.open({ proxy: gone.url });
    const started = performance.now();
    await assert.rejects(store.downloadBytes(version), (error: unknown) => {
      assert.ok(error instanceof RemoteError);
      assert.match(error.message, new RegExp(`Nothing answers at ${gone.url}: the connection was refused`));
      assert.match(error.hint ?? '', /proxy/);
      return true;
    });
    assert.ok(performance.now() - started < 3000);
  });
});

describe('B2Store downloads from an HTTPS endpoint through a CONNECT tunnel', () => {
  let b2: LocalB2;
  let front: Server;
  let proxy: ForwardProxy;
  let dir: string;
  let cert: string;
  let frontUrl: string;
  before(async () => {
    dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    const key = join(dir, 'key.pem');
    cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
    let target = 0;
    front = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (socket) => {
      const upstream = connect(target, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
      upstream.on('close', () => socket.destroy());
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    frontUrl = `https://localhost:${(front.address() as AddressInfo).port}`;
    b2 = await withLocalB2({ publicUrl: frontUrl });
    target = Number(new URL(b2.endpoint).port);
    proxy = await startForwardProxy();
  });
  after(async () => {
    await proxy.close();
    await b2.close();
    front.close();
    execFileSync('rm', ['-rf', dir]);
  });

  it('downloads in segments, resumes a cut segment, reads ranges and small files, every byte checked', async () => {
    b2.server.faults.disconnect('download', 700_000); // one segment is cut mid-body and resumed
    const request = { endpoint: frontUrl, proxy: proxy.url, keyId: b2.keyId, key: b2.key, bucket: b2.bucket, dir };
    const env: NodeJS.ProcessEnv = { ...withoutProxyVariables(process.env), NODE_EXTRA_CA_CERTS: cert };
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'download-through-tunnel.ts'), JSON.stringify(request)], { env }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      );
    });
    assert.deepEqual(JSON.parse(stdout), { downloadSha1Matches: true, rangesMatch: true, small: 'small' });
    const downloads = b2.server.requests.of('download');
    assert.equal(downloads.filter((r) => r.fault === 'disconnect').length, 1, 'no segment was cut');
    assert.equal(proxy.tunnels.length, downloads.length, 'a download went around the proxy');
    assert.ok(proxy.tunnels.every((authority) => authority === new URL(frontUrl).host));
    assert.deepEqual(proxy.forwarded, [], 'uploads and other calls do not take the download proxy');
  });
});
