import { BadInputError, CancelledError, IntegrityError } from '../errors';
import { DEFAULT_PYTHON, lastLines, runPython } from './python-process';

export interface SqliteHelperOptions {
  /** The Python command; `python3` by default. */
  python?: string;
  signal?: AbortSignal;
}

/**
 * Python shared by the helpers. `open_read_only` never writes: a read-only connection to a
 * WAL-mode database would create -wal/-shm files, so when none exist (nobody has the file open)
 * it is opened as immutable; otherwise the existing ones are used, read-only.
 * `serve` prints the result of `main(*argv)` as JSON, or SQLite's complaint about the file.
 */
const PRELUDE = String.raw`
import json, os, pathlib, sqlite3, sys

def open_read_only(path):
    with open(path, "rb") as f:
        header = f.read(20)
    is_wal = len(header) == 20 and header[18] == 2
    in_use = os.path.exists(path + "-wal") or os.path.exists(path + "-shm")
    mode = "immutable=1" if is_wal and not in_use else "mode=ro"
    return sqlite3.connect(pathlib.Path(path).resolve().as_uri() + "?" + mode, uri=True)

def serve(main):
    try:
        result = main(*sys.argv[1:])
    except sqlite3.DatabaseError as e:
        print(json.dumps({"error": str(e)}))
        sys.exit(2)
    print(json.dumps({"result": result}))
`;

/**
 * Runs a small Python program (which defines `main` and calls `serve(main)`) with the prelude
 * above and returns what `main` returned. `dbPath` is the file it works on, named in errors.
 */
export async function runSqliteHelper<T>(
  program: string,
  dbPath: string,
  args: readonly string[],
  options: SqliteHelperOptions = {},
): Promise<T> {
  const run = await runPython({
    python: options.python ?? DEFAULT_PYTHON,
    args: ['-c', PRELUDE + program, ...args],
    signal: options.signal,
  });
  if (run.cancelled) throw new CancelledError();
  const reply = parseReply(run.stdout);
  if (reply && 'error' in reply) {
    throw new IntegrityError(
      `SQLite could not read ${dbPath}: ${reply.error}.`,
      'The file may be damaged: restore it from a backup in .b2m/ or download it again.',
    );
  }
  if (run.exitCode !== 0 || !reply) {
    throw new BadInputError(
      `The SQLite helper (Python) failed on ${dbPath} (exit ${run.exitCode ?? run.signal}):\n${lastLines(run.stderr)}`,
      'Check that the "python" command in b2m.json runs Python 3 with its sqlite3 module.',
    );
  }
  return reply.result as T;
}

function parseReply(stdout: string): { result: unknown } | { error: string } | undefined {
  try {
    return JSON.parse(stdout) as { result: unknown } | { error: string };
  } catch {
    return undefined;
  }
}
