import { ConflictError, isB2mError } from '../core/errors';
import { ProgressText, type ProgressEvent } from '../core/progress';
import { MergeConflictError } from '../core/sync/conflicts';
import { DestructiveChangesError } from '../core/sync/destructive-changes';
import { formatConflicts } from './format/conflicts';
import { EXIT, exitCodeFor } from './exit-codes';

/** Where a command writes: results to stdout, progress, warnings and errors to stderr. */
export interface Output {
  json: boolean;
  /** Prints a result: the object as JSON with --json, else the human text. */
  result(human: string, data: unknown): void;
  info(line: string): void;
  warn(line: string): void;
  progress(event: ProgressEvent): void;
  /** While a question waits for an answer on the terminal: draws no progress and holds info and warnings back until resume(). */
  pause(): void;
  resume(): void;
}

export function createOutput(options: {
  json: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  progressText?: ProgressText;
}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const live = stderr.isTTY === true && !options.json;
  const progressText = options.progressText ?? new ProgressText();
  let lastStep = '';
  let lastDraw = 0;
  let lineOpen = false;
  let paused = false;
  const held: string[] = [];
  const endLine = (): void => {
    if (lineOpen) stderr.write('\n');
    lineOpen = false;
  };
  const writeLine = (line: string): void => {
    if (paused) held.push(line);
    else stderr.write(line);
  };
  return {
    json: options.json,
    result(human, data) {
      endLine();
      stdout.write(options.json ? `${JSON.stringify(data, null, 2)}\n` : human.endsWith('\n') || human === '' ? human : `${human}\n`);
    },
    info(line) {
      if (options.json) return;
      endLine();
      writeLine(`${line}\n`);
    },
    warn(line) {
      endLine();
      writeLine(`warning: ${line}\n`);
    },
    progress(event) {
      if (options.json) return;
      if (live) {
        const line = progressText.describe(event); // every event feeds the speed, drawn or not
        if (paused) return;
        const now = Date.now();
        if (event.step === lastStep && now - lastDraw < 100 && event.done !== event.total) return;
        lastDraw = now;
        stderr.write(`\r\x1b[2K${line}`);
        lineOpen = true;
      } else if (event.step !== lastStep) {
        writeLine(`${event.message}\n`);
      }
      lastStep = event.step;
    },
    pause() {
      endLine();
      paused = true;
    },
    resume() {
      paused = false;
      for (const line of held.splice(0)) stderr.write(line);
    },
  };
}

/** Prints an error for a person (or as JSON) and returns the exit code. */
export function reportError(error: unknown, output: Output, stderr: NodeJS.WriteStream = process.stderr): number {
  if (isB2mError(error)) {
    const conflicts = error instanceof MergeConflictError ? error.comparison : undefined;
    const warnings = error instanceof DestructiveChangesError ? error.warnings : undefined;
    if (output.json) {
      stderr.write(`${JSON.stringify({ error: { kind: error.kind, ...(error instanceof ConflictError ? { reason: error.reason } : {}), message: error.message, hint: error.hint, ...(conflicts ? { conflicts } : {}), ...(warnings ? { warnings } : {}) } })}\n`);
    } else {
      const table = conflicts ? formatConflicts(conflicts.report.conflicts) : '';
      stderr.write(`error: ${error.message}\n${table}${error.hint ? `hint: ${error.hint}\n` : ''}`);
    }
    return exitCodeFor(error.kind);
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`error: unexpected failure: ${message}\nhint: this is a bug in b2m; please report it with the text above.\n`);
  return EXIT.unexpected;
}
