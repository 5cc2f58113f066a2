import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { CancelledError, throwIfAborted } from '../errors';
import { cannotStartPython, killProcessTree, pythonEnvironment } from './python-process';

/** What a request got: the reply line, parsed, or the end of the process that should have answered. */
export type ServerAnswer = { kind: 'reply'; reply: unknown } | ServerExit;

/** The process ended: how, and the end of what it wrote on stderr. */
export interface ServerExit {
  kind: 'exited';
  exitCode?: number;
  signal?: string;
  stderr: string;
}

/** Enough of the helper's stderr to explain why it died. */
const MAX_STDERR_CHARS = 16_384;

/**
 * A long-lived Python program that answers requests on stdin/stdout, one JSON line each, in
 * order. Requests wait their turn; the process is started on the first one, restarted when it
 * has died, and told to exit (stdin closed) after `idleMs` without requests. It never keeps
 * Node running when idle, and is killed with its process group when Node exits or a request
 * it is working on is cancelled.
 */
export class PythonLineServer {
  private process: ServerProcess | undefined;
  private queue: Promise<void> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly python: string,
    private readonly args: readonly string[],
    private readonly idleMs: number,
  ) {}

  /** Sends `message` (serialised as one JSON line) and waits for the answer. */
  async request(message: unknown, signal?: AbortSignal): Promise<ServerAnswer> {
    throwIfAborted(signal);
    const previous = this.queue;
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.queue = previous.then(() => mine);
    try {
      await untilAborted(previous, signal);
      clearTimeout(this.idleTimer);
      return await this.exchange(`${JSON.stringify(message)}\n`, signal);
    } finally {
      this.idleTimer = setTimeout(() => this.close(), this.idleMs).unref();
      done();
    }
  }

  /** Lets the process exit (it sees the end of its input); the next request starts a new one. */
  close(): void {
    this.process?.end();
    this.process = undefined;
  }

  private async exchange(line: string, signal: AbortSignal | undefined): Promise<ServerAnswer> {
    for (let attempt = 1; ; attempt++) {
      if (!this.process?.alive) this.process = new ServerProcess(this.python, this.args);
      const server = this.process;
      const answer = await server.send(line, signal);
      if (answer.kind === 'reply') return answer;
      this.process = undefined;
      // One that had answered before may have died while idle (killed, crashed): ask a new one, once.
      if (server.answered === 0 || attempt > 1) return answer;
    }
  }
}

/** One run of the server program. */
class ServerProcess {
  private static readonly running = new Set<ServerProcess>();
  private static exitHookInstalled = false;

  readonly child: ChildProcessWithoutNullStreams;
  answered = 0;
  alive = true;
  private stderr = '';
  private readonly lines: AsyncIterator<string>;
  /** How it ended, or why it could not start. */
  private readonly ended: Promise<ServerExit | Error>;

  constructor(python: string, args: readonly string[]) {
    this.child = spawn(python, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group on POSIX, so the group can be killed as a whole.
      detached: process.platform !== 'win32',
      env: pythonEnvironment(),
      windowsHide: true,
    });
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-MAX_STDERR_CHARS);
    });
    this.child.stdin.on('error', () => undefined); // EPIPE when it died: reported through `ended`
    this.ended = new Promise((resolve) => {
      this.child.on('error', (error) => {
        if (this.child.pid === undefined) resolve(cannotStartPython(python, (error as NodeJS.ErrnoException).code ?? error.message, error));
      });
      this.child.once('close', (exitCode, signal) => resolve({ kind: 'exited', exitCode: exitCode ?? undefined, signal: signal ?? undefined, stderr: this.stderr }));
    });
    void this.ended.then(() => {
      this.alive = false;
      ServerProcess.running.delete(this);
    });
    this.setKeepsNodeRunning(false);
    ServerProcess.running.add(this);
    ServerProcess.killAllWhenNodeExits();
  }

  /** Writes one request line and waits for its answer; aborting kills the process and waits for its end. */
  async send(line: string, signal: AbortSignal | undefined): Promise<ServerAnswer> {
    this.setKeepsNodeRunning(true);
    const onAbort = (): void => killProcessTree(this.child.pid);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      this.child.stdin.write(line);
      const outcome = await Promise.race([this.lines.next(), this.ended]);
      if (signal?.aborted) {
        await this.ended;
        throw new CancelledError();
      }
      if (!(outcome instanceof Error) && !('kind' in outcome) && !outcome.done) {
        this.answered++;
        return { kind: 'reply', reply: this.parse(outcome.value) };
      }
      // Its output ended: wait (holding the event loop) until the process has ended too.
      const end = outcome instanceof Error || 'kind' in outcome ? outcome : await this.ended;
      if (end instanceof Error) throw end;
      return end;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.setKeepsNodeRunning(false);
    }
  }

  /** Closes its input: the program finishes what it is doing and exits. */
  end(): void {
    this.child.stdin.end();
  }

  /** A line that is not JSON means the program does not follow the protocol: it is stopped. */
  private parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      killProcessTree(this.child.pid);
      return text;
    }
  }

  /** Only a process working on a request holds Node's event loop open. */
  private setKeepsNodeRunning(keep: boolean): void {
    const handles = [this.child, this.child.stdin as Socket, this.child.stdout as Socket, this.child.stderr as Socket];
    for (const handle of handles) {
      if (keep) handle.ref();
      else handle.unref();
    }
  }

  private static killAllWhenNodeExits(): void {
    if (ServerProcess.exitHookInstalled) return;
    ServerProcess.exitHookInstalled = true;
    process.once('exit', () => {
      for (const server of ServerProcess.running) killProcessTree(server.child.pid);
    });
  }
}

/** `work`, or a CancelledError as soon as `signal` aborts. */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
