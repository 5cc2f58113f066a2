/** The server's clock: real time plus an offset that tests may set to simulate clock skew. */
export class ServerClock {
  offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }
}
