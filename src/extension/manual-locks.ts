import * as vscode from 'vscode';
import type { Lease } from '../core/lock';
import type { Logger } from './logger';

/**
 * Locks taken by hand with "b2m: Lock" and held (renewed by the lease's heartbeats) until
 * "b2m: Unlock" or the window closes; a sync meanwhile uploads under it.
 */
export class ManualLocks implements vscode.Disposable {
  private readonly leases = new Map<string, Lease>();

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

  dispose(): void {
    for (const database of [...this.leases.keys()]) {
      void this.release(database).catch((error: unknown) => this.log.error(`could not release the lock on ${database}`, error));
    }
  }
}
