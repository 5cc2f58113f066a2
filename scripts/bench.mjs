// npm run bench: every benchmark in bench/, one after the other, each printing a Markdown table.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2);
const pyTextLoader = new URL('./py-text-loader.mjs', import.meta.url).href;
const benches = readdirSync(new URL('../bench', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const bench of benches) {
  console.log(`\n## ${bench}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', pyTextLoader, `bench/${bench}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
