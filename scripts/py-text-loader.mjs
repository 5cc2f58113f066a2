// `node --import ./scripts/py-text-loader.mjs`: lets code run by Node (with tsx) import a `.py`
// file as its text, the way the esbuild bundle does (loader '.py': 'text').
import { readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

register('./py-text-hooks.mjs', import.meta.url);

// Modules that tsx runs as CommonJS load through require(), which the hooks above do not see.
const Module = createRequire(import.meta.url)('node:module');
Module._extensions['.py'] = (module, filename) => {
  module.exports = readFileSync(filename, 'utf8');
};
