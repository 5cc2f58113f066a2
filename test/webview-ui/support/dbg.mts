import { startHarness, openDiffPage, loadInPageFixtures } from './webview-harness';
import { darkTheme } from './vscode-themes';
const h = await startHarness();
const page = await openDiffPage(h, darkTheme);
await loadInPageFixtures(page);
const idle = async () => page.evaluate(async () => { const g: number[] = []; let last = performance.now(); for (let i = 0; i < 60; i++) { await new Promise(r => requestAnimationFrame(r)); const n = performance.now(); g.push(n - last); last = n; } g.sort((a, b) => a - b); return [g[30], g[57]]; });
console.log('idle before', await idle());
await page.evaluate(() => { const f = (window as any).b2mFixtures; for (const m of f.largeDiffMessages(100000)) window.postMessage(m, '*'); });
await page.waitForFunction(() => document.querySelector('.status')?.textContent === '100,000 of 100,000 changed rows', undefined, { timeout: 60000 });
console.log('idle after', await idle());
const r = await page.evaluate(async () => {
  const grid = document.querySelector<HTMLElement>('.grid')!;
  const step = grid.scrollHeight / 240; const work: number[] = [];
  for (let i = 0; i < 60; i++) {
    grid.scrollTop += step;
    await new Promise(r => grid.addEventListener('scroll', r, { once: true }));
    const t = performance.now();
    await new Promise(r => requestAnimationFrame(r));
    work.push(performance.now() - t);
  }
  work.sort((a, b) => a - b); return [work[30], work[57], document.querySelectorAll('.row').length];
});
console.log('scroll', r);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start');
const prof = await page.evaluate(async () => {
  const grid = document.querySelector<HTMLElement>('.grid')!;
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const row = document.querySelector<HTMLElement>('.grid .row[tabindex="0"]')!;
    const t = performance.now();
    row.dispatchEvent(new KeyboardEvent('keydown', { key: i % 2 ? 'Home' : 'End', bubbles: true }));
    document.body.offsetHeight;
    times.push(performance.now() - t);
    await new Promise(r => setTimeout(r, 10));
  }
  times.sort((a, b) => a - b); return [times[20], times[38], document.querySelectorAll('.row').length];
});
console.log('prof', prof);
const { profile } = await cdp.send('Profiler.stop') as any;
const self = new Map<string, number>();
const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
const dt = profile.timeDeltas as number[]; const samples = profile.samples as number[];
samples.forEach((id, i) => { const n = byId.get(id); const k = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').pop() + ':' + n.callFrame.lineNumber; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0)); });
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${(v / 1000).toFixed(1)}ms ${k}`).join('\n'));
await h.close();
