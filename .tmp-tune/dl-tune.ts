import { spawnSync, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openB2Store } from '/work/main/src/core/store/b2-store';
import { withLocalB2 } from '/work/main/test/support/local-b2';

const MiB = 1024 * 1024;
async function child() {
  const r = JSON.parse(process.argv[3]!);
  const store = await openB2Store({ keyId: r.keyId, key: r.key, bucket: r.bucket, endpoint: r.endpoint, downloadSegmentSize: r.seg * MiB, downloadConcurrency: r.conc });
  let version;
  for await (const v of store.listVersions(r.name)) version ??= v;
  const t = performance.now(); const c0 = process.cpuUsage();
  await store.downloadToFile(version!, r.target);
  const c = process.cpuUsage(c0); 
  const s = (performance.now() - t) / 1000;
  console.log(JSON.stringify({ s, rss: process.resourceUsage().maxRSS / 1024, cpu: (c.user + c.system) / 1000 }));
}
async function main() {
  const mib = Number(process.env.MIB ?? 256);
  const configs = (process.env.CONFIGS ?? '64x4').split(',').map((c) => [...c.replace('n','').split('x').map(Number), c.endsWith('n') ? 1 : 0]);
  const dir = mkdtempSync(join(tmpdir(), 'tune-'));
  const b2 = await withLocalB2();
  const src = join(dir, 'src.bin');
  writeFileSync(src, randomBytes(mib * MiB));
  const store = await openB2Store({ keyId: b2.keyId, key: b2.key, bucket: b2.bucket, endpoint: b2.endpoint, partSize: 32 * MiB, largeFileThreshold: 32 * MiB });
  await store.uploadFile(src, 'tune/x.bin');
  await store.uploadFile(src, 'tune/y.bin', {});
  const env = { ...process.env, RCLONE_CONFIG: join(dir, 'rc.conf'), RCLONE_CONFIG_LOCAL_TYPE: 'b2', RCLONE_CONFIG_LOCAL_ACCOUNT: b2.keyId, RCLONE_CONFIG_LOCAL_KEY: b2.key, RCLONE_CONFIG_LOCAL_ENDPOINT: b2.endpoint };
  writeFileSync(join(dir, 'rc.conf'), '');
  const runs = Number(process.env.RUNS ?? 3);
  const res: Record<string, number[]> = {};
  const { spawn } = await import('node:child_process');
  const run = (cmd: string, args: string[], e = process.env) => new Promise<{ out: string; s: number }>((ok, ko) => {
    const t = performance.now(); const c = spawn(cmd, args, { env: e, stdio: ['ignore', 'pipe', 'inherit'] }); let out = ''; let err = '';
    c.stdout.on('data', (d) => (out += d)); c.stderr?.on('data', (d) => (err += d));
    c.on('close', (code) => (code === 0 ? ok({ out, s: (performance.now() - t) / 1000 }) : ko(new Error(err))));
  });
  const { Session } = await import('node:inspector/promises');
  const session = new Session(); session.connect();
  if (process.env.SPROF) { await session.post('Profiler.enable'); await session.post('Profiler.start'); }
  for (let i = 0; i < runs; i++) {
    for (const [seg, conc, nf] of configs) {
      const target = join(dir, 'ours.out'); const sc0 = process.cpuUsage();
      const { out, s: wall } = await run(process.execPath, [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), '--import', 'tsx', process.argv[1]!, 'child', JSON.stringify({ ...b2, server: undefined, seg, conc, name: 'tune/x.bin', target })], { ...process.env, ...(nf ? { NOFLUSH: '1' } : {}) });
      const m = JSON.parse(out); const sc = process.cpuUsage(sc0);
      (res[`ours ${seg}x${conc}${nf ? 'n' : ''}`] ??= []).push(m.s);
      (res[`ours ${seg}x${conc}${nf ? 'n' : ''} cpu`] ??= []).push(m.cpu / 1000);
      (res[`ours ${seg}x${conc}${nf ? 'n' : ''} rss`] ??= []).push(m.rss / 1000);
      (res[`ours ${seg}x${conc}${nf ? 'n' : ''} srvcpu`] ??= []).push((sc.user + sc.system) / 1e6);
      
      rmSync(target);
    }
    if (process.env.SPROF) { const { profile } = await session.post('Profiler.stop'); writeFileSync('/tmp/server.cpuprofile', JSON.stringify(profile)); }
    const rt = join(dir, 'rclone.out');
    const { s } = await run('rclone', ['copyto', `local:${b2.bucket}/tune/y.bin`, rt, '--multi-thread-streams=4', '--ignore-times'], env);
    (res['rclone'] ??= []).push(s);
    rmSync(rt);
  }
  for (const [k, v] of Object.entries(res)) { const m = [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!; console.log(k.padEnd(22), (mib * MiB / 1e6 / m).toFixed(0), 'MB/s', v.map((x) => x.toFixed(2)).join(' ')); }
  await b2.close(); rmSync(dir, { recursive: true });
}
if (process.argv[2] === 'child') child(); else main();
