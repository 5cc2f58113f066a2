import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openB2Store } from '../../../src/core/store/b2-store';
import type { Store } from '../../../src/core/store/store';
import { readChain } from '../../../src/core/versions/chain';
import { Team, sqlMigration, type Developer } from '../../support/team';

const DEVELOPERS = ['ada', 'bo', 'cy', 'di'];
const CAMPAIGN_MS = Number(process.env.B2M_CAMPAIGN_SECONDS ?? 130) * 1000;

/** A deterministic pseudo-random sequence, so a failing campaign can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/**
 * Issue 10: four developers sync in a loop while the server injects faults (slow uploads, cut
 * connections, 503s, expired tokens, a skewed clock) and a fifth process force-unlocks at random.
 * Afterwards, checked on the head's own `_b2m_migrations` (not on b2m's word): every migration of
 * every developer is there exactly once, the history is one chain after the last heal, and no lock
 * or unfinished large file remains.
 */
describe('fault campaign', () => {
  let team: Team;
  let store: Store;
  before(async () => {
    team = await Team.start({
      developers: [...DEVELOPERS, 'ops'],
      lock: { leaseSeconds: 30, settleSeconds: 1.5, maxUploadSeconds: 1 },
      server: { minimumPartSize: 100_000 },
      migrationTimeoutSeconds: 60,
    });
    store = await openB2Store({ keyId: team.b2.keyId, key: team.b2.key, bucket: team.b2.bucket, endpoint: team.b2.endpoint });
    await team.dev('ada').publishFirstVersion("CREATE TABLE events(id INTEGER PRIMARY KEY, who TEXT NOT NULL, n INTEGER NOT NULL, pad TEXT); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 400) INSERT INTO events(who, n, pad) SELECT 'seed', i, printf('%0900d', i) FROM s;");
    for (const name of DEVELOPERS.slice(1)) assert.equal((await team.dev(name).run(['download'])).code, 0);
  });
  after(() => team.close());

  test('every migration ends in the head exactly once, in one chain, with nothing left behind', { timeout: CAMPAIGN_MS + 10 * 60_000 }, async () => {
    const figures = { syncs: 0, published: 0, failedRuns: 0, exitCodes: {} as Record<number, number>, faults: {} as Record<string, number>, forceUnlocks: 0, healedInRun: 0, overtook: 0, replayedOvertaken: 0 };
    const written = new Map<string, string[]>(DEVELOPERS.map((d) => [d, []]));
    const deadline = Date.now() + CAMPAIGN_MS;
    const next = random(20261201);
    const count = (kind: string): void => void (figures.faults[kind] = (figures.faults[kind] ?? 0) + 1);

    async function developerLoop(dev: Developer): Promise<void> {
      for (let i = 0; Date.now() < deadline; i++) {
        const path = await dev.writeMigration(`event ${i}`, sqlMigration(`INSERT INTO events(who, n) VALUES ('${dev.name}', ${i});`));
        written.get(dev.name)!.push(path);
        const run = await dev.run(['sync', '--wait', '30'], { timeoutMs: 180_000 });
        figures.syncs++;
        if (run.code === 0) figures.published++;
        else figures.failedRuns++;
        figures.exitCodes[run.code] = (figures.exitCodes[run.code] ?? 0) + 1;
        if (/overtaken by another one/.test(run.stderr)) figures.healedInRun++;
        if (/yours overtook it/.test(run.stderr)) figures.overtook++;
        if (/was overtaken/.test(run.stderr) && /Your base/.test(run.stderr)) figures.replayedOvertaken++;
      }
    }

    async function faultLoop(): Promise<void> {
      const { faults, clock } = team.b2.server;
      const calls = ['b2_list_file_versions', 'b2_finish_large_file', 'b2_copy_part', 'b2_get_upload_url'];
      // Each kind of fault with its weight.
      const kinds: Array<[string, number, () => void]> = [
        ['slow part upload', 1, () => faults.delay('b2_upload_part', 1500)],
        ['slow finish', 1, () => faults.delay('b2_finish_large_file', 4000)],
        ['slow upload', 1, () => faults.delay('b2_upload_file', 1200)],
        ['cut part upload', 1.5, () => faults.disconnect('b2_upload_part', 20_000)],
        ['cut download', 1, () => faults.disconnect('download', 50_000)],
        ['503', 1.5, () => faults.serviceUnavailable(calls[Math.floor(next() * calls.length)]!)],
        ['expired token', 1, () => faults.expiredToken('*')],
        ['clock skew', 1, () => (clock.offsetMs = Math.round((next() - 0.5) * 8000))],
      ];
      const total = kinds.reduce((sum, [, weight]) => sum + weight, 0);
      while (Date.now() < deadline) {
        let roll = next() * total;
        const [kind, , inject] = kinds.find(([, weight]) => (roll -= weight) < 0) ?? kinds[0]!;
        inject();
        count(kind);
        await new Promise((resolve) => setTimeout(resolve, 400 + next() * 800));
      }
      faults.clear();
      clock.offsetMs = 0;
    }

    async function forceUnlockLoop(): Promise<void> {
      const ops = team.dev('ops');
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 1500 + next() * 4000));
        const status = await ops.run(['status', '--json']);
        if (status.code !== 0) continue;
        const holder = (JSON.parse(status.stdout) as Array<{ lockHolder?: { lockId: string } }>)[0]?.lockHolder;
        if (!holder) continue;
        if ((await ops.run(['force-unlock', 'app.db', holder.lockId, '--yes'])).code === 0) figures.forceUnlocks++;
      }
    }

    await Promise.all([...DEVELOPERS.map((d) => developerLoop(team.dev(d))), faultLoop(), forceUnlockLoop()]);

    // No more faults: each developer syncs until nothing of theirs is pending.
    for (let round = 0; round < 3; round++) {
      for (const name of DEVELOPERS) {
        const run = await team.dev(name).run(['sync', '--wait', '60'], { timeoutMs: 180_000 });
        assert.equal(run.code, 0, `${name}'s final sync: ${run.stderr}`);
      }
    }
    for (const name of DEVELOPERS) {
      const status = JSON.parse((await team.dev(name).run(['status', '--json'])).stdout)[0];
      assert.deepEqual(status.pending, [], `${name} has nothing pending`);
    }

    // The head's own record: every script of every developer, exactly once.
    const applied = await team.headMigrations();
    const expected = [...written.values()].flat().map((path) => /(\d{23})_[a-z0-9_]+\.py$/.exec(path)![1]!);
    assert.equal(new Set(applied).size, applied.length, 'no migration applied twice');
    assert.deepEqual([...applied].sort(), [...expected].sort(), 'every migration in the head');
    const rows = (await team.headQuery("SELECT who || ':' || n FROM events WHERE who <> 'seed' GROUP BY who, n HAVING count(*) > 1")).trim();
    assert.equal(rows, '', 'no row inserted twice');
    const inserted = Number((await team.headQuery("SELECT count(*) FROM events WHERE who <> 'seed'")).trim());
    assert.equal(inserted, expected.length);

    // One chain after the last heal: every version newer than the newest overtaken one is on the head's chain.
    const history = readChain(await team.versions());
    const newestOvertaken = Math.max(0, ...history.forks.map((f) => f.overtaken.number));
    const afterHeal = history.versions.filter((v) => v.number > newestOvertaken);
    assert.ok(afterHeal.length > 0 && afterHeal.every((v) => history.chain.has(v.id)), 'the history is one chain after the last heal');

    assert.deepEqual(await team.lockFiles(), [], 'no lock left');
    assert.deepEqual(await store.listUnfinishedLargeFiles(''), [], 'no unfinished large file left');
    const fsck = execFileSync('sqlite3', [team.dev('ada').dbPath, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim();
    assert.equal(fsck, 'ok');

    const injected = Object.values(figures.faults).reduce((a, b) => a + b, 0);
    console.log(
      [
        `fault campaign: ${(CAMPAIGN_MS / 1000).toFixed(0)} s, ${DEVELOPERS.length} developers, ${figures.syncs} syncs (${figures.published} published, ${figures.failedRuns} ended with an error and were retried; exit codes ${JSON.stringify(figures.exitCodes)})`,
        `  faults injected: ${injected} (${Object.entries(figures.faults).map(([k, v]) => `${k} ${v}`).join(', ')}), force-unlocks: ${figures.forceUnlocks}`,
        `  forks in the history: ${history.forks.length}; healed in the same run: ${figures.healedInRun}; overtook another upload: ${figures.overtook}; overtaken base replayed by its author: ${figures.replayedOvertaken}`,
        `  head: ${applied.length} migrations, each once; ${history.versions.length} versions`,
      ].join('\n'),
    );
  });
});
