import type { EngineContext } from '../context';
import { remoteDatabaseName } from '../paths';
import { readHead } from '../versions/history';
import { encodeVersionInfo, toDatabaseVersion, type DatabaseVersion, type VersionMetadata } from '../versions/version-info';
import type { Lease } from '../lock';
import { takeLock } from './take-lock';

export type PublishResult =
  /** The candidate is the new head, built on the version it names as parent. */
  | { kind: 'published'; version: DatabaseVersion }
  /** Someone published between building the candidate and taking the lock: nothing was uploaded. */
  | { kind: 'head-moved'; head: DatabaseVersion | undefined }
  /** Uploaded, but another upload ended up as head (our lock was lost): ours stays in history only. */
  | { kind: 'fenced'; uploaded: DatabaseVersion; head: DatabaseVersion | undefined };

/**
 * The only place b2m writes a database version: take the lock, confirm the head is still the
 * version the candidate was built on, upload naming it as parent, confirm the upload is the head,
 * release the lock whatever happens.
 */
export async function publishUnderLock(
  ctx: EngineContext,
  database: string,
  candidatePath: string,
  builtOn: DatabaseVersion | undefined,
  metadata: Omit<VersionMetadata, 'parent' | 'lock'>,
  options: { operation: string; waitMs?: number; lease?: Lease },
): Promise<PublishResult> {
  const store = await ctx.store();
  const remoteName = remoteDatabaseName(ctx.ws, database);
  const lease = options.lease ?? (await takeLock(ctx, database, options.operation, options.waitMs !== undefined ? { waitMs: options.waitMs } : {}));
  try {
    ctx.onProgress?.({ step: 'confirm', message: `Confirming the head of ${database} has not moved` });
    const head = await readHead(store, remoteName, ctx.signal);
    if (head?.id !== builtOn?.id) return { kind: 'head-moved', head };
    lease.assertHeld();
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, lease.signal]) : lease.signal;
    const info = encodeVersionInfo({ ...metadata, ...(builtOn ? { parent: builtOn.id } : {}), lock: lease.lockId });
    const uploaded = toDatabaseVersion(
      await store.uploadFile(candidatePath, remoteName, {
        info,
        contentType: 'application/vnd.sqlite3',
        signal,
        onProgress: (done, total) => ctx.onProgress?.({ step: 'upload', message: `Uploading ${database}`, done, total }),
      }),
    );
    const after = await readHead(store, remoteName, ctx.signal);
    if (after?.id !== uploaded.id || after.parent !== builtOn?.id) return { kind: 'fenced', uploaded, head: after };
    return { kind: 'published', version: uploaded };
  } finally {
    // A lock held by the caller (taken by hand) stays held; one taken here is always released.
    if (!options.lease)
      await lease.release().catch((e: unknown) => {
        ctx.onWarning?.(`Could not remove lock ${lease.lockId} on ${database} (${(e as Error).message}); its lease runs out on its own within ${ctx.ws.config.lock.leaseSeconds} s.`);
      });
  }
}
