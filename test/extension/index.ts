// Entry point of the integration tests inside the extension host (VS Code calls run()). Each
// test/extension/*.test.ts is bundled next to this file as *.test.cjs; mocha is resolved from the
// checkout's node_modules. B2M_TEST_GREP selects tests by title.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { print } from './print.js';

export async function run(): Promise<void> {
  // mocha's reporters print through this; see print.ts for why not console.log.
  Mocha.reporters.Base.consoleLog = print;
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 20_000 });
  const grep = process.env.B2M_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = readdirSync(__dirname).filter((name) => name.endsWith('.test.cjs')).sort();
  if (files.length === 0) throw new Error(`no *.test.cjs bundles in ${__dirname}`);
  for (const name of files) mocha.addFile(join(__dirname, name));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension test(s) failed`);
}
