import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withLocalB2, type LocalB2 } from '../support/local-b2';
import { RawClient } from './raw-api';

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('local B2 server: the test control API is off unless asked for', () => {
  let local: LocalB2;
  before(async () => {
    local = await withLocalB2({ testControl: false });
  });
  after(() => local.close());

  it('answers /__b2m_test/* as an unknown path and changes nothing', async () => {
    const control = `${local.endpoint}/__b2m_test`;
    const clock = await post(`${control}/clock`, { offsetMs: -3_600_000 });
    assert.equal(clock.status, 404);
    assert.equal(clock.json.code, 'not_found');
    assert.equal(local.server.clock.offsetMs, 0);

    const fault = await post(`${control}/faults`, { call: '*', kind: 'error', status: 503, code: 'service_unavailable' });
    assert.equal(fault.status, 404);
    assert.deepEqual(local.server.faults.pending(), []);

    assert.equal((await post(`${control}/expire-tokens`, {})).status, 404);
    const requests = await fetch(`${control}/requests`);
    assert.equal(requests.status, 404);
    assert.equal(((await requests.json()) as { code: string }).code, 'not_found');
  });
});

describe('local B2 server: the test control API when asked for', () => {
  let local: LocalB2;
  before(async () => {
    local = await withLocalB2({ testControl: true });
  });
  after(() => local.close());

  it('refuses requests sent by a web page (they carry an Origin header)', async () => {
    const control = `${local.endpoint}/__b2m_test`;
    const fromPage = await post(`${control}/clock`, { offsetMs: -3_600_000 }, { Origin: 'https://example.com' });
    assert.equal(fromPage.status, 403);
    assert.equal(fromPage.json.code, 'access_denied');
    assert.equal(local.server.clock.offsetMs, 0);
    const fromTest = await post(`${control}/clock`, { offsetMs: 5 });
    assert.equal(fromTest.status, 200);
    assert.equal(local.server.clock.offsetMs, 5);
  });

  it('counts requests by call name for a test in another process', async () => {
    const control = `${local.endpoint}/__b2m_test`;
    assert.equal((await fetch(`${control}/requests`, { method: 'DELETE' })).status, 200);
    const raw = await RawClient.open(local);
    await raw.upload('count/a.txt', Buffer.from('a'));
    await raw.listVersions({ prefix: 'count/' });
    await raw.listVersions({ prefix: 'count/' });
    await raw.call('b2_list_file_versions', { bucketId: 'no-such-bucket' });
    await (await raw.download('count/a.txt')).text();

    type Log = { requests: Array<{ call: string; status: number }>; counts: Record<string, number> };
    const all = (await (await fetch(`${control}/requests`)).json()) as Log;
    assert.equal(all.counts.b2_list_file_versions, 3);
    assert.equal(all.counts.b2_upload_file, 1);
    assert.equal(all.counts.b2_download_file_by_name, 1);
    assert.equal(all.requests.length, Object.values(all.counts).reduce((a, b) => a + b, 0));

    const listings = (await (await fetch(`${control}/requests?call=b2_list_file_versions`)).json()) as Log;
    assert.deepEqual(listings.requests.map((r) => r.status), [200, 200, 400]);
    assert.deepEqual(listings.counts, { b2_list_file_versions: 3 });
    const ok = (await (await fetch(`${control}/requests?call=b2_list_file_versions&status=200`)).json()) as Log;
    assert.deepEqual(ok.counts, { b2_list_file_versions: 2 });
    const downloads = (await (await fetch(`${control}/requests?call=download`)).json()) as Log;
    assert.deepEqual(downloads.counts, { b2_download_file_by_name: 1 });
    const badStatus = await fetch(`${control}/requests?status=ok`);
    assert.equal(badStatus.status, 400);
  });
});
