import * as vscode from 'vscode';
import type { Lease } from '../core/lock';
import type { Logger } from './logger';

/**
 * How long closing the window waits for the locks to be released. VS Code gives deactivate() 5 s
 * in all before it ends the extension host; a lock not released by then expires with its lease.
 */
export const RELEASE_ON_CLOSE_MS = 3500;

/**
 * Locks taken by hand with "b2m: Lock" and held (renewed by the lease's heartbeats) until
 * "b2m: Unlock" or the window closes; a sync meanwhile uploads under it.
 */
export class ManualLocks implements vscode.Disposable {
  private readonly leases = new Map<string, Lease>();
  private releasingAll?: Promise<void>;

  constructor(
    private readonly log: Logger,
    private readonly onLost: () => void,
  ) {}

  has(database: string): boolean {
    return this.leases.has(database);
  }

  /** The lease held on a database by this window, if any. */
  get(database: string): Lease | undefined {
    return this.leases.get(database);
  }

  hold(lease: Lease): void {
    this.leases.set(lease.database, lease);
    lease.signal.addEventListener(
      'abort',
      () => {
        if (this.leases.get(lease.database) !== lease) return;
        this.leases.delete(lease.database);
        const reason = lease.signal.reason instanceof Error ? lease.signal.reason.message : String(lease.signal.reason);
        this.log.warn(`lost the lock on ${lease.database}: ${reason}`);
        void vscode.window.showWarningMessage(`b2m: you no longer hold the lock on ${lease.database}. ${reason}`);
        this.onLost();
      },
      { once: true },
    );
  }

  /** Releases the lock held on a database; false if this window held none. */
  async release(database: string): Promise<boolean> {
    const lease = this.leases.get(database);
    if (!lease) return false;
    this.leases.delete(database);
    await lease.release();
    return true;
  }

  /**
   * Releases every lock held, waiting at most `timeoutMs`; what is left then expires with its
   * lease. Returns the same promise when called again (deactivate and dispose both call it).
   */
  releaseAll(timeoutMs = RELEASE_ON_CLOSE_MS): Promise<void> {
    this.releasingAll ??= (async () => {
      const databases = [...this.leases.keys()];
      if (databases.length === 0) return;
      const released = Promise.all(
        databases.map((database) => this.release(database).catch((error: unknown) => this.log.error(`could not release the lock on ${database}`, error))),
      );
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), timeoutMs)));
      const outcome = await Promise.race([released, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timed out') this.log.warn(`the locks on ${databases.join(', ')} were not released within ${timeoutMs} ms; they expire with their lease`);
    })();
    return this.releasingAll;
  }

  dispose(): void {
    void this.releaseAll();
  }
}
