import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BadInputError } from '../../src/core/errors';
import { runServerCommand } from '../../src/b2-server/cli';
import { helpText } from '../../src/cli/command';
import { serverCommand } from '../../src/cli/commands/server';
import { basicAuth } from './raw-api';

describe('b2m server command', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'b2m-server-cli-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('prints help', async () => {
    let out = '';
    await runServerCommand(['--help'], { write: (t) => (out += t) });
    assert.match(out, /Usage: b2m server \[--port N\] \[--data DIR\] \[--bucket NAME\]\.\.\. \[--key-id ID\] \[--key KEY\] \[--bandwidth RATE\] \[--test-control\]/);
    assert.match(out, /--bandwidth RATE +simulate a slow link/);
    assert.match(out, /--test-control +serve the test control API under \/__b2m_test\//);
  });

  it('describes its options in "b2m server --help" of the b2m command line', () => {
    const help = helpText(serverCommand);
    assert.match(help, /--test-control +serve the test control API/);
    assert.match(help, /--bandwidth RATE +simulate a slow link/);
  });

  it('serves no test control API without --test-control', async () => {
    const stop = new AbortController();
    let out = '';
    const running = runServerCommand(['--port', '0', '--data', join(dataDir, 'plain')], { write: (t) => (out += t), signal: stop.signal });
    try {
      while (!/listening on (\S+)/.test(out)) await new Promise((r) => setTimeout(r, 10));
      const endpoint = /listening on (\S+)/.exec(out)?.[1] ?? '';
      assert.doesNotMatch(out, /test control/);
      const clock = await fetch(`${endpoint}/__b2m_test/clock`, { method: 'POST', body: JSON.stringify({ offsetMs: 1000 }) });
      assert.equal(clock.status, 404);
    } finally {
      stop.abort();
      await running;
    }
  });

  it('refuses bad arguments with BadInputError', async () => {
    await assert.rejects(runServerCommand(['--port', 'abc']), BadInputError);
    await assert.rejects(runServerCommand(['--nope']), BadInputError);
    await assert.rejects(runServerCommand(['--bandwidth', '10mbit']), (e: unknown) => e instanceof BadInputError && /--bandwidth must be a rate/.test(e.message));
  });

  it('runs in its own process, prints credentials, serves, and stops cleanly on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/b2-server/main.ts', '--port', '0', '--data', dataDir, '--bucket', 'first-bucket', '--bucket', 'second-bucket', '--key-id', 'id1', '--key', 'k1', '--bandwidth', '1.5MiB/s', '--test-control'],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!/B2M_ENDPOINT=/.test(out)) {
        assert.ok(Date.now() < deadline, `server did not start: ${out} ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const endpoint = /b2m server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
      assert.match(out, /export B2_APPLICATION_KEY_ID=id1\n/);
      assert.match(out, /export B2_APPLICATION_KEY=k1\n/);
      assert.ok(out.includes(`export B2M_ENDPOINT=${endpoint}\n`));

      const auth = (await (await fetch(`${endpoint}/b2api/v2/b2_authorize_account`, { headers: { Authorization: basicAuth('id1', 'k1') } })).json()) as {
        authorizationToken: string;
        accountId: string;
      };
      const list = await fetch(`${endpoint}/b2api/v2/b2_list_buckets`, {
        method: 'POST',
        headers: { Authorization: auth.authorizationToken },
        body: JSON.stringify({ accountId: auth.accountId }),
      });
      const names = ((await list.json()) as { buckets: Array<{ bucketName: string }> }).buckets.map((b) => b.bucketName);
      assert.deepEqual(names, ['first-bucket', 'second-bucket']);
      assert.ok(out.includes(`test control API: ${endpoint}/__b2m_test/`));
      assert.match(out, /bandwidth: 1\.5MiB\/s \(1572864 bytes\/s\)/);
      const bandwidth = await fetch(`${endpoint}/__b2m_test/bandwidth`);
      assert.deepEqual(await bandwidth.json(), { bytesPerSecond: 1572864 });
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0, err);
    assert.match(out, /b2m server stopped/);
  });
});
