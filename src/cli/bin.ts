import { join } from 'node:path';
import { configureSqlJs } from '../core/diff';
import { EXIT } from './exit-codes';
import { main } from './main';

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
