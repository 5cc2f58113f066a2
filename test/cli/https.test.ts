// B2 itself is reached over HTTPS: the CLI against the local server behind a TLS front end, with a
// throwaway certificate the CLI processes trust through NODE_EXTRA_CA_CERTS.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createServer, type Server } from 'node:tls';
import { Team } from '../support/team';

describe('b2m over HTTPS', () => {
  let team: Team;
  let front: Server;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    let target = 0;
    const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
    front = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (socket) => {
      const upstream = connect(target, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `https://localhost:${(front.address() as AddressInfo).port}`;
    team = await Team.start({ developers: ['alice', 'bob'], server: { publicUrl: url }, extraConfig: { endpoint: url } });
    target = Number(new URL(team.b2.endpoint).port);
    env = { NODE_EXTRA_CA_CERTS: cert };
  });
  after(async () => {
    await team?.close();
    front?.close();
  });

  test('publishes, then downloads with the bytes intact', async () => {
    const alice = team.dev('alice');
    alice.sql("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO t SELECT i, randomblob(1000) FROM n;");
    const sync = await alice.run(['sync'], { env });
    assert.equal(sync.code, 0, sync.stderr);
    const bob = team.dev('bob');
    const download = await bob.run(['download'], { env });
    assert.equal(download.code, 0, download.stderr);
    assert.equal(bob.sql('SELECT count(*), sum(length(v)) FROM t').trim(), '3000|3000000');
    assert.equal(bob.sql('SELECT hex(v) FROM t WHERE id = 1234'), alice.sql('SELECT hex(v) FROM t WHERE id = 1234'));
  });

  test('refuses a server whose certificate is not trusted', async () => {
    const download = await team.dev('bob').run(['download', '--force']);
    assert.notEqual(download.code, 0);
    assert.match(download.stderr, /certificate could not be verified/);
    assert.match(download.stderr, /NODE_EXTRA_CA_CERTS/);
  });
});
