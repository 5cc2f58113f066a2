import type { EngineContext } from '../context';
import type { BlockScan } from '../delta/block-scan';
import type { ManifestMigration } from '../delta/manifest';
import { publishManifest } from '../delta/manifests';
import { planParts, uploadedBytes, type PlannedPart } from '../delta/part-plan';
import { forgetUpload, recordUpload, UPLOAD_TOKEN_INFO } from '../delta/unfinished-uploads';
import { LockLostError } from '../errors';
import { formatBytes } from '../format';
import type { Lease } from '../lock';
import { newAttemptId } from '../lock/attempts/names';
import { remoteDatabaseName } from '../paths';
import type { LargeFileDraft, PartSource, Store } from '../store/store';
import { readHead, versionsSince } from '../versions/history';
import { encodeVersionInfo, toDatabaseVersion, type DatabaseVersion, type VersionMetadata } from '../versions/version-info';
import { takeLock } from './take-lock';

export interface PublishRequest {
  database: string;
  /** The file to publish; only read. */
  candidate: string;
  /** The candidate read against `builtOn`: SHA-1, block hashes, changed blocks. */
  scan: BlockScan;
  /** The head the candidate was built on; undefined for a database's first version. */
  builtOn?: DatabaseVersion;
  metadata: Omit<VersionMetadata, 'parent' | 'lock'>;
  /** Migrations recorded in the candidate, for its manifest. */
  migrations: ManifestMigration[];
  operation: string;
  waitMs?: number;
  /** A lock this process already holds (taken by hand): the version is finished under it, and it stays held. */
  lease?: Lease;
  /** Settles once the candidate is verified; parts upload meanwhile, and a rejection stops the publish before it finishes. */
  verified?: Promise<unknown>;
  /** When to start taking the lock, as far as verification goes (it may still run under the lock's settle wait); `verified` by default. */
  lockWhen?: Promise<unknown>;
  /** Settles once a rebase's conflict check is done; the lock settles meanwhile, and a rejection stops the publish before finishing. */
  mergeable?: Promise<unknown>;
  /** Last checks before the version becomes visible (can the result be installed?); throwing stops the publish. */
  beforeFinish?: () => Promise<void>;
}

/** What a publish moved. */
export interface PublishTransfer {
  how: 'parts' | 'whole';
  /** Bytes sent over the link: uploaded parts (or the whole file) and the manifest. */
  uploadedBytes: number;
  /** Bytes copied server-side from the version built on. */
  copiedBytes: number;
  size: number;
  /** How long the lock was held (ms): from the moment it was ours to its release. */
  lockHeldMs: number;
}

export type PublishResult =
  /** The candidate is the new head. `overtook`: versions published meanwhile on the same parent, which this one overtook. */
  | { kind: 'published'; version: DatabaseVersion; overtook: DatabaseVersion[]; transfer: PublishTransfer }
  /** Someone published between building the candidate and taking the lock: nothing was published. */
  | { kind: 'head-moved'; head: DatabaseVersion | undefined; transfer: PublishTransfer }
  /** Published, but another version ended up as head (a lost lock, an upload by another tool): ours is overtaken. */
  | { kind: 'fenced'; uploaded: DatabaseVersion; head: DatabaseVersion | undefined; transfer: PublishTransfer };

const CONTENT_TYPE = 'application/vnd.sqlite3';
/** Parts of a file uploaded whole (a first version, or one rewritten throughout). */
const WHOLE_PART_BYTES = 32 * 1024 * 1024;

/**
 * The only place b2m writes a database version. A database of at least two parts is published
 * as a large file: parts that changed are uploaded and the others copied server-side from the
 * version it was built on, all before the lock is taken (an unfinished large file is invisible);
 * the lock settles while the last parts upload; under the lock b2m only confirms the head and
 * finishes the file, then confirms it is the head and lists what else was published on the same
 * parent. Smaller databases upload whole under the lock. The manifest goes up first, so every
 * version b2m finishes has one. Whatever fails, the unfinished file is cancelled and the lock
 * released; nothing is reported as published unless it is, nor as failed if it was.
 */
export async function publishVersion(ctx: EngineContext, request: PublishRequest): Promise<PublishResult> {
  const store = await ctx.store();
  const { scan } = request;
  const manifestBytes = await uploadManifest(ctx, request);
  const parts = planFor(store, request);
  return parts ? publishInParts(ctx, store, request, parts, manifestBytes) : publishWhole(ctx, store, request, manifestBytes, scan.size);
}

async function uploadManifest(ctx: EngineContext, request: PublishRequest): Promise<number> {
  const { scan } = request;
  const manifest = { sha1: scan.sha1, size: scan.size, blockSize: scan.blockSize, blockHashes: scan.blockHashes, migrations: request.migrations };
  return publishManifest(ctx, request.database, manifest);
}

/** Changed parts uploaded and unchanged ones copied; all uploaded when nothing can be copied; undefined for a small file. */
function planFor(store: Store, request: PublishRequest): PlannedPart[] | undefined {
  const { scan, builtOn } = request;
  const min = store.minimumPartSize;
  if (scan.size < 2 * min) return undefined;
  const delta = builtOn ? planParts({ size: scan.size, blockSize: scan.blockSize, changed: scan.changed, minPartSize: min }) : undefined;
  if (delta) return delta;
  const partSize = Math.max(min, WHOLE_PART_BYTES, Math.ceil(scan.size / 10_000));
  const parts: PlannedPart[] = [];
  for (let start = 0; start < scan.size; start += partSize) parts.push({ kind: 'upload', start, length: Math.min(partSize, scan.size - start) });
  if (parts.length >= 2) return parts;
  return [
    { kind: 'upload', start: 0, length: min },
    { kind: 'upload', start: min, length: scan.size - min },
  ];
}

async function publishInParts(ctx: EngineContext, store: Store, request: PublishRequest, parts: PlannedPart[], manifestBytes: number): Promise<PublishResult> {
  const { database, builtOn, scan } = request;
  const remoteName = remoteDatabaseName(ctx.ws, database);
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const sent = uploadedBytes(parts);
  const transfer: PublishTransfer = { how: 'parts', uploadedBytes: manifestBytes + sent, copiedBytes: scan.size - sent, size: scan.size, lockHeldMs: 0 };
  const attemptId = request.lease?.lockId ?? newAttemptId();
  const token = await recordUpload(ctx, remoteName);
  const info = { ...encodeVersionInfo({ ...request.metadata, ...(builtOn ? { parent: builtOn.id } : {}), lock: attemptId }), large_file_sha1: scan.sha1, [UPLOAD_TOKEN_INFO]: token };
  let draft: LargeFileDraft | undefined;
  let published = false;
  let lease = request.lease;
  let heldSince: number | undefined;
  try {
    draft = await store.startLargeFile(remoteName, { info, contentType: CONTENT_TYPE, ...signal });
    const sources = parts.map((p, i): PartSource =>
      p.kind === 'upload'
        ? { partNumber: i + 1, kind: 'upload', path: request.candidate, start: p.start, length: p.length }
        : { partNumber: i + 1, kind: 'copy', sourceFileId: (builtOn as DatabaseVersion).id, start: p.start, length: p.length },
    );
    const message = `Uploading the changed parts of ${database} (${formatBytes(sent)} of ${formatBytes(scan.size)})`;
    const nearlyDone = new NearlyDone(sent, ctx.ws.config.lock.settleSeconds * 1000);
    const uploading = store.uploadParts(draft, sources, {
      ...signal,
      onProgress: (done, total) => ctx.onProgress?.({ step: 'upload', message, done, total }),
      onPartDone: (part) => nearlyDone.stored(part.kind === 'upload' ? part.length : 0),
    });
    uploading.catch(() => undefined); // awaited below; a failure while the lock is being taken must not go unhandled
    // The lock settles while the last parts upload: start taking it once what is left should take less than the settle time.
    await Promise.race([uploading, nearlyDone.reached]);
    await (request.lockWhen ?? request.verified);
    lease ??= await takeLock(ctx, database, request.operation, { ...(request.waitMs !== undefined ? { waitMs: request.waitMs } : {}), attemptId });
    heldSince = performance.now();
    await uploading;
    await request.verified;
    await request.mergeable;

    const moved = await headMovedUnderLock(ctx, store, request, lease);
    if (moved) return { ...moved, transfer };
    const finishing = draft;
    const uploaded = await finishUnderLease(store, lease, remoteName, builtOn, finishing.fileId, ctx, () => store.finishLargeFile(finishing, { signal: anySignal(ctx.signal, (lease as Lease).signal) }));
    published = true;
    return { ...(await confirmPublished(store, remoteName, builtOn, uploaded, ctx.signal)), transfer };
  } finally {
    if (draft && !published) await store.cancelLargeFile(draft.fileId).catch((e: unknown) => ctx.onWarning?.(`Could not cancel the unfinished upload of ${database} (${(e as Error).message}); the next b2m run cancels it.`));
    if (published || draft === undefined || !(await isUnfinished(store, remoteName, draft.fileId))) await forgetUpload(ctx, token);
    if (heldSince !== undefined) transfer.lockHeldMs = await releaseTakenLock(ctx, database, request.lease, lease, heldSince);
  }
}

async function publishWhole(ctx: EngineContext, store: Store, request: PublishRequest, manifestBytes: number, size: number): Promise<PublishResult> {
  const { database, builtOn } = request;
  const remoteName = remoteDatabaseName(ctx.ws, database);
  const transfer: PublishTransfer = { how: 'whole', uploadedBytes: manifestBytes + size, copiedBytes: 0, size, lockHeldMs: 0 };
  await (request.lockWhen ?? request.verified);
  const lease = request.lease ?? (await takeLock(ctx, database, request.operation, request.waitMs !== undefined ? { waitMs: request.waitMs } : {}));
  const heldSince = performance.now();
  try {
    await request.verified;
    await request.mergeable;
    const moved = await headMovedUnderLock(ctx, store, request, lease);
    if (moved) return { ...moved, transfer };
    const info = encodeVersionInfo({ ...request.metadata, ...(builtOn ? { parent: builtOn.id } : {}), lock: lease.lockId });
    const uploaded = await finishUnderLease(store, lease, remoteName, builtOn, undefined, ctx, () =>
      store.uploadFile(request.candidate, remoteName, {
        info,
        contentType: CONTENT_TYPE,
        signal: anySignal(ctx.signal, lease.signal),
        onProgress: (done, total) => ctx.onProgress?.({ step: 'upload', message: `Uploading ${database}`, done, total }),
      }),
    );
    return { ...(await confirmPublished(store, remoteName, builtOn, uploaded, ctx.signal)), transfer };
  } finally {
    transfer.lockHeldMs = await releaseTakenLock(ctx, database, request.lease, lease, heldSince);
  }
}

/**
 * Under the lock, before the version becomes visible: the head must still be the version the
 * candidate was built on (else the outcome to rebuild on), the result installable, the lease held.
 */
async function headMovedUnderLock(ctx: EngineContext, store: Store, request: PublishRequest, lease: Lease): Promise<{ kind: 'head-moved'; head: DatabaseVersion | undefined } | undefined> {
  ctx.onProgress?.({ step: 'confirm', message: `Confirming the head of ${request.database} has not moved` });
  const head = await readHead(store, remoteDatabaseName(ctx.ws, request.database), ctx.signal);
  if (head?.id !== request.builtOn?.id) return { kind: 'head-moved', head };
  await request.beforeFinish?.();
  lease.assertHeld();
  return undefined;
}

/**
 * Runs the step that makes the version visible. If it fails (the lease ran out, a connection was
 * cut), the listing says whether it happened anyway: a version that exists is reported as
 * published, never as failed; one that does not is reported as the loss of the lock, if that was it.
 */
async function finishUnderLease(
  store: Store,
  lease: Lease,
  remoteName: string,
  builtOn: DatabaseVersion | undefined,
  fileId: string | undefined,
  ctx: EngineContext,
  finish: () => Promise<Parameters<typeof toDatabaseVersion>[0]>,
): Promise<DatabaseVersion> {
  try {
    return toDatabaseVersion(await finish());
  } catch (error) {
    const find = async (): Promise<DatabaseVersion | undefined> => (await versionsSince(store, remoteName, builtOn?.id)).find((v) => (fileId ? v.id === fileId : v.lock === lease.lockId));
    let landed = await find();
    if (!landed && fileId) {
      // Cancel before telling: a finish still under way on the server either loses to it, or has won and is listed.
      await store.cancelLargeFile(fileId).catch(() => undefined);
      landed = await find();
    }
    if (landed) {
      ctx.onWarning?.(`The upload of ${landed.name} completed although b2m lost track of it (${(error as Error).message}); it is published.`);
      return landed;
    }
    if (lease.signal.aborted && lease.signal.reason instanceof LockLostError) throw lease.signal.reason;
    throw error;
  }
}

/** After finishing: the new version must be the head; versions published meanwhile on the same parent were overtaken by it (a fork). */
async function confirmPublished(
  store: Store,
  remoteName: string,
  builtOn: DatabaseVersion | undefined,
  uploaded: DatabaseVersion,
  signal?: AbortSignal,
): Promise<Omit<Extract<PublishResult, { kind: 'published' }>, 'transfer'> | Omit<Extract<PublishResult, { kind: 'fenced' }>, 'transfer'>> {
  const since = await versionsSince(store, remoteName, builtOn?.id, signal);
  const head = since[0];
  if (head?.id !== uploaded.id) return { kind: 'fenced', uploaded, head };
  return { kind: 'published', version: uploaded, overtook: since.slice(1) };
}

/** Releases the lock unless the caller holds it (taken by hand); returns how long it was held by this publish. */
async function releaseTakenLock(ctx: EngineContext, database: string, callers: Lease | undefined, lease: Lease | undefined, heldSince: number): Promise<number> {
  if (lease && !callers) {
    await lease.release().catch((e: unknown) => {
      ctx.onWarning?.(`Could not remove lock ${lease.lockId} on ${database} (${(e as Error).message}); its lease runs out on its own within ${ctx.ws.config.lock.leaseSeconds} s.`);
    });
  }
  return performance.now() - heldSince;
}

async function isUnfinished(store: Store, remoteName: string, fileId: string): Promise<boolean> {
  try {
    return (await store.listUnfinishedLargeFiles(remoteName)).some((f) => f.id === fileId);
  } catch {
    return true; // unknown: keep the record, so the next run checks again
  }
}

function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
}

/**
 * Resolves once an upload's remaining bytes should take less than `marginMs` at the rate seen so
 * far. Only parts the server acknowledged count: bytes handed to a socket may sit in its buffers
 * for seconds on a slow link, and counting them would take the lock far too early.
 */
class NearlyDone {
  readonly reached: Promise<void>;
  private resolve!: () => void;
  private readonly started = performance.now();
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly marginMs: number,
  ) {
    this.reached = new Promise((resolve) => (this.resolve = resolve));
    if (total <= 0) this.resolve();
  }

  stored(bytes: number): void {
    this.done += bytes;
    const elapsed = performance.now() - this.started;
    if (this.done >= this.total) return this.resolve();
    if (this.done <= 0 || elapsed <= 0) return;
    const remainingMs = ((this.total - this.done) / this.done) * elapsed;
    if (remainingMs <= this.marginMs) this.resolve();
  }
}
