/**
 * The server's clock, estimated from the `Date` header of the latest response plus the local time
 * elapsed since (monotonic, so local clock changes do not matter).
 */
export class ServerClock {
  private latest?: { serverMs: number; seenAt: number };

  constructor(private readonly monotonicNow: () => number = () => performance.now()) {}

  observe(dateHeader: string | undefined): void {
    if (!dateHeader) return;
    const serverMs = Date.parse(dateHeader);
    if (Number.isFinite(serverMs)) this.latest = { serverMs, seenAt: this.monotonicNow() };
  }

  /** Estimated server time in ms since epoch, or undefined before any response carried a Date. */
  now(): number | undefined {
    if (!this.latest) return undefined;
    return this.latest.serverMs + (this.monotonicNow() - this.latest.seenAt);
  }
}
