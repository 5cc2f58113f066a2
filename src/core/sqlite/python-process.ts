import { spawn } from 'node:child_process';
import { BadInputError, throwIfAborted } from '../errors';

export const DEFAULT_PYTHON = 'python3';
/** Python's text I/O in UTF-8 whatever the locale, and no .pyc files written beside b2m's or the user's code. */
const PYTHON_SETTINGS = { PYTHONUTF8: '1', PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' };
/** Migration scripts come from anyone's branch (a pull request checked by CI): they never see the B2 key. */
const WITHHELD = new Set(['B2_APPLICATION_KEY_ID', 'B2_APPLICATION_KEY']);

/** The environment of every Python process b2m starts: this one's, less the B2 credentials, with UTF-8 I/O. */
export function pythonEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(env).filter(([name]) => !WITHHELD.has(name))), ...PYTHON_SETTINGS };
}
/** setTimeout fires at once for delays above 2^31 - 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface PythonRunOptions {
  /** The Python command (b2m.json `python`), e.g. `python3` or a full path. */
  python: string;
  args: readonly string[];
  /** Kill the whole process tree after this long; undefined or Infinity for no limit. */
  timeoutMs?: number;
  /** Aborting kills the whole process tree. */
  signal?: AbortSignal;
  cwd?: string;
}

export interface PythonRunResult {
  /** Undefined when the process was ended by a signal. */
  exitCode?: number;
  signal?: string;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
}

/**
 * Runs Python and waits for it. A timeout or an abort kills the process *tree* (scripts may
 * start their own subprocesses that would otherwise keep writing); on POSIX so does a normal
 * exit, so no background process outlives the run (one that keeps the output pipes open holds
 * the run until the time limit). Failing exit codes are returned, not thrown; only a Python
 * that cannot be started at all is an error.
 */
export async function runPython(options: PythonRunOptions): Promise<PythonRunResult> {
  throwIfAborted(options.signal);
  // Loaded dynamically: execa is ESM-only and this module may be loaded as CommonJS (tsx, tests).
  const { execa } = await import('execa');
  const started = performance.now();
  const subprocess = execa(options.python, options.args, {
    cwd: options.cwd,
    reject: false,
    stdin: 'ignore',
    // Own process group on POSIX, so the group can be killed as a whole.
    detached: process.platform !== 'win32',
    env: pythonEnvironment(),
    extendEnv: false,
  });
  let timedOut = false;
  let cancelled = false;
  const timer =
    options.timeoutMs === undefined || !Number.isFinite(options.timeoutMs)
      ? undefined
      : setTimeout(
          () => {
            timedOut = true;
            killProcessTree(subprocess.pid);
          },
          Math.min(options.timeoutMs, MAX_TIMER_MS),
        );
  const onAbort = (): void => {
    cancelled = true;
    killProcessTree(subprocess.pid);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await subprocess;
    if (result.exitCode === undefined && result.signal === undefined) {
      throw cannotStartPython(options.python, result.shortMessage ?? result.code ?? 'unknown error', result.cause);
    }
    return {
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: result.stdout,
      stderr: result.stderr,
      timedOut,
      cancelled,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    // Reap background processes the script left behind (on Windows the pid may be reused by now).
    if (process.platform !== 'win32') killProcessTree(subprocess.pid);
  }
}

export function cannotStartPython(python: string, reason: string, cause: unknown): BadInputError {
  return new BadInputError(
    `Could not start Python with the command "${python}": ${reason}.`,
    'Install Python 3, or set "python" in b2m.json to the command that runs it.',
    { cause },
  );
}

/** Kills a process started in its own group (`detached`) together with everything it started. */
export function killProcessTree(pid: number | undefined): void {
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' }).on('error', () => undefined);
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** The last `count` lines of a process's output, for error messages. */
export function lastLines(text: string, count = 20): string {
  return text.trimEnd().split(/\r?\n/).slice(-count).join('\n');
}
