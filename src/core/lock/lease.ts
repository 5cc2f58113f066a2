import { LockLostError, RemoteError, type LockHolder } from '../errors';
import type { RemoteVersion, Store } from '../store/store';
import { deleteAttemptFiles } from './attempts/delete-attempt';
import { attemptFilesPrefix, lockFileName, parseLockFileName } from './attempts/names';
import { heartbeatIntervalMs, ownLeaseMs, type LockTimings } from './timings';

export interface LeaseInit {
  store: Store;
  folder: string;
  holder: LockHolder;
  timings: LockTimings;
  /** Versions of the attempt file seen when the lock was decided. */
  attemptVersions: readonly RemoteVersion[];
  /** Local monotonic time (performance.now()) when the winning attempt's upload was sent. */
  placedAt: number;
}

/**
 * A held lock. It renews itself every leaseMs/3 while held; it is lost when its lease runs out
 * locally (conservatively: counted from when a renewal was *sent*, minus the settle time) or when
 * a heartbeat finds its attempt removed. Check `assertHeld()` or `signal` before every step that
 * must only happen under the lock.
 */
export class Lease {
  readonly lockId: string;
  readonly database: string;
  readonly holder: LockHolder;
  private readonly store: Store;
  private readonly folder: string;
  private readonly timings: LockTimings;
  private readonly knownVersions: RemoteVersion[];
  private readonly controller = new AbortController();
  private deadline: number;
  private heartbeatTimer?: NodeJS.Timeout;
  private deadlineTimer?: NodeJS.Timeout;
  private renewing?: Promise<void>;
  private releasing?: Promise<void>;
  private released = false;
  private lost?: LockLostError;

  constructor(init: LeaseInit) {
    this.store = init.store;
    this.folder = init.folder;
    this.holder = init.holder;
    this.lockId = init.holder.lockId;
    this.database = init.holder.database;
    this.timings = init.timings;
    this.knownVersions = [...init.attemptVersions];
    this.deadline = init.placedAt + ownLeaseMs(init.timings);
    this.armDeadline();
    this.scheduleHeartbeat(init.placedAt + heartbeatIntervalMs(init.timings) - performance.now());
  }

  /** Aborts (reason: a LockLostError) as soon as the lock is known to be lost. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get held(): boolean {
    return !this.released && !this.lost && performance.now() < this.deadline;
  }

  /** Throws a LockLostError unless the lock is still held. */
  assertHeld(): void {
    if (this.released) throw new LockLostError(this.database, this.lockId, 'it was released');
    if (!this.lost && performance.now() >= this.deadline) this.lose('its lease ran out before a heartbeat could renew it');
    if (this.lost) throw this.lost;
  }

  /** Renews the lease now (joins a renewal already under way). Throws if it could not be renewed. */
  heartbeat(): Promise<void> {
    this.renewing ??= this.renew().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  /** Deletes the attempt and its heartbeats (never anyone else's files). Safe to call again. */
  release(): Promise<void> {
    this.released = true;
    this.stopTimers();
    this.releasing ??= this.deleteOwnFiles().catch((e: unknown) => {
      this.releasing = undefined;
      throw e;
    });
    return this.releasing;
  }

  private async deleteOwnFiles(): Promise<void> {
    await this.renewing?.catch(() => undefined);
    await deleteAttemptFiles(this.store, this.folder, this.lockId, this.knownVersions);
  }

  private async renew(): Promise<void> {
    this.assertHeld();
    const sentAt = performance.now();
    const version = await this.store.uploadBytes(
      lockFileName(this.folder, this.lockId, 'heartbeat'),
      Buffer.from(`${JSON.stringify({ lockId: this.lockId, renewedAt: new Date().toISOString() })}\n`),
      { info: { lockid: this.lockId }, contentType: 'application/json' },
    );
    const tookMs = performance.now() - sentAt;
    this.knownVersions.push(version);
    this.assertHeld();
    if (tookMs > this.timings.maxUploadMs) {
      throw new RemoteError(
        `A heartbeat of the lock on ${this.database} took ${Math.round(tookMs)} ms (limit ${this.timings.maxUploadMs} ms); the lease was not renewed.`,
        'lock heartbeat',
        undefined,
        'slow-lock-upload',
      );
    }
    this.deadline = Math.max(this.deadline, sentAt + ownLeaseMs(this.timings));
    this.armDeadline();
    await this.confirmAttemptExists();
    await this.deleteOlderHeartbeats(version);
  }

  /** Someone may have run force-unlock: a heartbeat without its attempt holds nothing. */
  private async confirmAttemptExists(): Promise<void> {
    let attemptFound = false;
    for await (const version of this.store.listVersions(attemptFilesPrefix(this.folder, this.lockId))) {
      const kind = parseLockFileName(this.folder, version.name);
      if (kind?.attemptId === this.lockId && kind.kind === 'attempt' && version.action === 'upload') attemptFound = true;
    }
    if (!attemptFound) {
      this.lose('its lock attempt was removed by someone else (force-unlock)');
      throw this.lost;
    }
  }

  /** Keeps one heartbeat version: only the newest renewal counts, older ones are clutter. */
  private async deleteOlderHeartbeats(newest: RemoteVersion): Promise<void> {
    const older = this.knownVersions.filter((v) => v.name === newest.name && v.id !== newest.id);
    for (const version of older) {
      try {
        await this.store.deleteVersion(version);
        this.knownVersions.splice(this.knownVersions.indexOf(version), 1);
      } catch {
        // left for release(), which deletes every known version
      }
    }
  }

  private lose(reason: string): void {
    if (this.lost || this.released) return;
    this.lost = new LockLostError(this.database, this.lockId, reason);
    this.stopTimers();
    this.controller.abort(this.lost);
  }

  private armDeadline(): void {
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = setTimeout(
      () => this.lose('its lease ran out before a heartbeat could renew it'),
      Math.max(0, this.deadline - performance.now()),
    );
    this.deadlineTimer.unref();
  }

  private scheduleHeartbeat(delayMs: number): void {
    clearTimeout(this.heartbeatTimer);
    if (this.released || this.lost) return;
    this.heartbeatTimer = setTimeout(() => {
      this.heartbeat().then(
        () => this.scheduleHeartbeat(heartbeatIntervalMs(this.timings)),
        // A failed renewal is tried again soon; the deadline timer ends the lease if none succeeds.
        () => this.scheduleHeartbeat(this.timings.settleMs),
      );
    }, Math.max(0, delayMs));
    this.heartbeatTimer.unref();
  }

  private stopTimers(): void {
    clearTimeout(this.heartbeatTimer);
    clearTimeout(this.deadlineTimer);
  }
}
