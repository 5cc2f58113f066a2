// `node --import ./scripts/py-text-loader.mjs`: lets code run by Node (with tsx) import a `.py`
// file as its text, the way the esbuild bundle does (loader '.py': 'text').
import { register } from 'node:module';

register('./py-text-hooks.mjs', import.meta.url);
