import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Team, fileBytes, finished, sqlMigration, waitForOutput } from '../../support/team';

describe('webhook notifications and Ctrl+C', () => {
  let team: Team;
  let hook: Server;
  const received: Array<{ content: string; text: string }> = [];
  let hookUrl = '';

  before(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as { content: string; text: string });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    team = await Team.start({ developers: ['jo'], extraConfig: { webhookUrl: hookUrl } });
    team.dev('jo').sql('CREATE TABLE t(id INTEGER PRIMARY KEY);');
  });
  after(async () => {
    await team.close();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  test('a published version is told to the webhook in Discord and Slack form', async () => {
    const r = await team.dev('jo').run(['sync']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(received.length, 1);
    assert.match(received[0]!.content, /jo published app\.db/);
    assert.equal(received[0]!.text, received[0]!.content);
  });

  test('a failed sync is told too; an unreachable webhook never holds up a sync', async () => {
    const jo = team.dev('jo');
    const script = await jo.writeMigration('boom', 'raise SystemExit("no")\n');
    const failed = await jo.run(['sync']);
    assert.equal(failed.code, 5);
    assert.match(received.at(-1)!.content, /sync of app\.db failed/);
    writeFileSync(script, sqlMigration('INSERT INTO t VALUES (1);'));

    const config = join(jo.dir, 'b2m.json');
    const original = readFileSync(config, 'utf8');
    writeFileSync(config, JSON.stringify({ ...JSON.parse(original), webhookUrl: 'http://127.0.0.1:9/unreachable' }));
    try {
      const ok = await jo.run(['sync']);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stderr, /webhook could not be reached/);
    } finally {
      writeFileSync(config, original);
    }
  });

  test('Ctrl+C during a migration: exit 130, head and local file unchanged, no lock left', async () => {
    const jo = team.dev('jo');
    await jo.writeMigration('slow', `${sqlMigration('INSERT INTO t VALUES (2);')}import time\ntime.sleep(20)\n`);
    const headBefore = (await team.versions())[0]!.id;
    const localBefore = fileBytes(jo.dbPath);
    const child = jo.start(['sync']);
    await waitForOutput(child, 'Running');
    child.kill('SIGINT');
    const r = await finished(child, 30_000);
    assert.equal(r.code, 130, r.stderr);
    assert.equal((await team.versions())[0]!.id, headBefore);
    assert.deepEqual(fileBytes(jo.dbPath), localBefore);
    assert.deepEqual(await team.lockFiles(), []);
  });
});
