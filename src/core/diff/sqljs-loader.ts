import { readFile } from 'node:fs/promises';
import type { SqlJsStatic } from 'sql.js';

/**
 * Where sql.js finds its WebAssembly binary. By default sql.js looks next to its own script,
 * which works from node_modules; the bundled CLI and extension ship `dist/sql-wasm.wasm` and
 * configure its path once at start-up.
 */
export interface SqlJsLocation {
  /** Path of `sql-wasm.wasm` on disk. */
  wasmPath?: string;
  /** Emscripten's hook, for hosts that serve the file themselves (e.g. a webview URL). */
  locateFile?: (file: string) => string;
}

let location: SqlJsLocation = {};
let loading: Promise<SqlJsStatic> | undefined;

export function configureSqlJs(where: SqlJsLocation): void {
  location = { ...where };
  loading = undefined;
}

/** The sql.js module, initialised once per configuration. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= initialise(location).catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

async function initialise(where: SqlJsLocation): Promise<SqlJsStatic> {
  // Loaded here, on first use, so that hosts which split their bundle (the extension) load it only then.
  const { default: initSqlJs } = await import('sql.js');
  if (where.wasmPath !== undefined) {
    const wasm = await readFile(where.wasmPath);
    return initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) });
  }
  return initSqlJs(where.locateFile ? { locateFile: where.locateFile } : undefined);
}
