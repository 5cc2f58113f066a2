import { startHarness, openDiffPage, loadInPageFixtures } from './webview-harness';
import { darkTheme } from './vscode-themes';
const h = await startHarness();
const page = await openDiffPage(h, darkTheme);
await loadInPageFixtures(page);
await page.evaluate(() => { const f = (window as any).b2mFixtures; for (const m of f.largeDiffMessages(100000)) window.postMessage(m, '*'); });
await page.waitForFunction(() => document.querySelector('.status')?.textContent === '100,000 of 100,000 changed rows', undefined, { timeout: 60000 });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map(m => [m.name, m.value]));
const A = '';
const B = '.virtual-sizer > .row { contain: none !important } .virtual-sizer { contain: none !important }';
const C = '.virtual-sizer { contain: none !important }';
const variants: [string, string][] = [['A', A], ['B', B], ['C', C], ['A', A], ['B', B], ['C', C], ['A', A], ['B', B], ['C', C]];
for (const [name, css] of variants) {
const mode = 'big';
await page.evaluate(css => { document.querySelector('#dbg')?.remove(); const st = new CSSStyleSheet(); st.replaceSync(css); document.adoptedStyleSheets = [st]; document.querySelector('.grid')!.scrollTop = 0; }, css);
await page.waitForTimeout(300);

  const a = await metrics();
  await page.evaluate(async (mode) => {
    const grid = document.querySelector<HTMLElement>('.grid')!;
    for (let i = 0; i < 100; i++) {
      if (mode === 'small') grid.scrollTop += 5; else if (mode === 'big') grid.scrollTop += 7000;
      await new Promise(r => requestAnimationFrame(r));
    }
  }, mode);
  const b = await metrics();
  const d = (k: string) => ((b[k] - a[k]) * 10).toFixed(2);
  console.log(name, 'thread', d('ThreadTime'), 'script', d('ScriptDuration'), 'layout', d('LayoutDuration'), 'style', d('RecalcStyleDuration'), 'other', d('TaskOtherDuration'));
}
await h.close();
