import { BadInputError, IntegrityError } from '../errors';
import HELPER_SOURCE from './python/b2m_sqlite.py';
import { DEFAULT_PYTHON, lastLines } from './python-process';
import { PythonLineServer } from './python-server';

export interface SqliteHelperOptions {
  /** The Python command; `python3` by default. */
  python?: string;
  signal?: AbortSignal;
}

/** The jobs of b2m_sqlite.py. */
export type SqliteHelperCommand = 'snapshot' | 'applied' | 'check';

/** Long enough to serve every small query of one operation, migrations in between included. */
const IDLE_MS = 120_000;

const servers = new Map<string, PythonLineServer>();
let lastId = 0;

/**
 * Runs one job of the SQLite helper (b2m_sqlite.py) and returns its result. The helper is one
 * `serve` process per Python command, shared by every call. `dbPath` is the file the job works
 * on, named in errors.
 */
export async function runSqliteHelper<T>(
  command: SqliteHelperCommand,
  dbPath: string,
  args: readonly string[],
  options: SqliteHelperOptions = {},
): Promise<T> {
  const python = options.python ?? DEFAULT_PYTHON;
  const id = ++lastId;
  const answer = await helperFor(python).request({ id, command, args }, options.signal);
  const failed = (what: string, output = ''): BadInputError =>
    new BadInputError(
      `The SQLite helper (Python) failed on ${dbPath}: ${what}`,
      'Check that the "python" command in b2m.json runs Python 3 with its sqlite3 module.',
      output.trim() ? { details: lastLines(output) } : {},
    );
  if (answer.kind === 'exited') throw failed(`it exited (${answer.exitCode ?? answer.signal}) without answering.`, answer.stderr);
  const reply = answer.reply as { id?: unknown; result?: unknown; error?: unknown; failure?: unknown } | null;
  if (typeof reply !== 'object' || reply === null || reply.id !== id || !('result' in reply || 'error' in reply || 'failure' in reply)) {
    throw failed(`it answered ${JSON.stringify(reply).slice(0, 500)}.`);
  }
  if (typeof reply.error === 'string') {
    throw new IntegrityError(
      `SQLite could not read ${dbPath}: ${reply.error}.`,
      'The file may be damaged: restore it from a backup in .b2m/ or download it again.',
    );
  }
  if (typeof reply.failure === 'string') throw failed('it failed.', reply.failure);
  return reply.result as T;
}

function helperFor(python: string): PythonLineServer {
  let server = servers.get(python);
  if (!server) {
    server = new PythonLineServer(python, ['-c', HELPER_SOURCE, 'serve'], IDLE_MS);
    servers.set(python, server);
  }
  return server;
}
