import { formatBytes } from './format';

/** Progress reporting shared by every long operation of the engine. */
export interface ProgressEvent {
  /** A short name of the current step, e.g. "download", "migrate", "lock", "upload". */
  step: string;
  /** A human sentence for the step, e.g. "Downloading app.db (v3)". */
  message: string;
  /** Units done and total (bytes for transfers, rows or scripts elsewhere), when known. */
  done?: number;
  total?: number;
}

export type ProgressListener = (event: ProgressEvent) => void;

/** Byte-level progress of one transfer. */
export type TransferProgress = (doneBytes: number, totalBytes: number) => void;

export interface OperationOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/** The steps whose `done` and `total` count bytes. */
const TRANSFER_STEPS: ReadonlySet<string> = new Set(['upload', 'download']);

/** Units per second over the last few seconds of a transfer, and the time left at that pace. */
export class RateMeter {
  private samples: Array<{ at: number; done: number }> = [];

  constructor(
    private readonly windowMs = 5_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Notes that `done` units are done now. Fewer than before means the transfer started over (a retry): the window restarts. */
  record(done: number): void {
    const at = this.now();
    if (done < (this.samples.at(-1)?.done ?? 0)) this.samples = [];
    this.samples.push({ at, done });
    // Keeps one sample from before the window, so the window is spanned whole.
    while (this.samples.length > 2 && (this.samples[1] as { at: number }).at <= at - this.windowMs) this.samples.shift();
  }

  /** Units per second, or undefined until the samples span a fifth of a second. */
  perSecond(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at - first.at < 200) return undefined;
    return ((last.done - first.done) * 1000) / (last.at - first.at);
  }

  /** Seconds until `total` at the current pace; undefined while the pace is unknown or nothing moves. */
  secondsLeft(total: number): number | undefined {
    const rate = this.perSecond();
    const done = this.samples.at(-1)?.done ?? 0;
    if (done >= total) return 0;
    return rate === undefined || rate <= 0 ? undefined : Math.ceil((total - done) / rate);
  }
}

/**
 * Turns the progress events of one operation into lines for people: a transfer reads
 * "Uploading app.db  9.8 MB / 12.0 MB  4.1 MB/s  ETA 1 s" (speed and time left once known),
 * other counted steps "Running migrations 2/5". Each transfer step gets a meter of its own.
 */
export class ProgressText {
  private meter?: { step: string; rate: RateMeter };

  constructor(private readonly newMeter: () => RateMeter = () => new RateMeter()) {}

  describe(event: ProgressEvent): string {
    if (!event.total) return event.message;
    const done = event.done ?? 0;
    if (!TRANSFER_STEPS.has(event.step)) return `${event.message} ${done}/${event.total}`;
    if (this.meter?.step !== event.step) this.meter = { step: event.step, rate: this.newMeter() };
    const { rate } = this.meter;
    rate.record(done);
    const parts = [event.message, `${formatBytes(done)} / ${formatBytes(event.total)}`];
    const perSecond = rate.perSecond();
    if (perSecond !== undefined) parts.push(`${formatBytes(perSecond)}/s`);
    const left = rate.secondsLeft(event.total);
    if (left !== undefined && done < event.total) parts.push(`ETA ${formatSecondsLeft(left)}`);
    return parts.join('  ');
  }
}

/** "45 s", "3 min 5 s", "2 h 10 min". */
export function formatSecondsLeft(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
