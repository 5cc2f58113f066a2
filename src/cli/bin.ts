import { join } from 'node:path';
import { configureSqlJs } from '../core/diff';
import { EXIT } from './exit-codes';
import { main } from './main';

// A reader that goes away (`b2m sync | head -1`) loses the rest of the output, never the work:
// without a listener, the write error (EPIPE) would end the process in the middle of a sync.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

// The bundle ships sql.js's wasm beside itself (dist/sql-wasm.wasm).
configureSqlJs({ wasmPath: join(__dirname, 'sql-wasm.wasm') });

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error: ${String(e)}\n`);
    process.exitCode = EXIT.unexpected;
  },
);
