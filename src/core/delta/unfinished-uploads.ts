import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineContext } from '../context';
import { decodeProcessFacts, encodeProcessFacts, isProvablyGone, ownProcessFacts } from '../lock/process-facts';
import { b2mDir } from '../paths';

/**
 * Large files this workspace started and has not finished or cancelled yet, one record per upload
 * under `.b2m/uploads/`, written before `b2_start_large_file`. The token goes into the file's info
 * (`b2m-upload`), so a run after a crash (even SIGKILL) finds its own leftovers in the bucket and
 * cancels them: unfinished files cost storage and would otherwise stay forever.
 */
export const UPLOAD_TOKEN_INFO = 'b2m-upload';

interface UploadRecord {
  token: string;
  name: string;
  pid: number;
  process?: string;
  startedAt: string;
}

function folder(ctx: EngineContext): string {
  return join(b2mDir(ctx.ws), 'uploads');
}

/** Records an upload about to start; returns its token. */
export async function recordUpload(ctx: EngineContext, name: string): Promise<string> {
  const token = randomBytes(8).toString('hex');
  const facts = ownProcessFacts();
  const record: UploadRecord = { token, name, pid: process.pid, ...(facts ? { process: encodeProcessFacts(facts) } : {}), startedAt: new Date().toISOString() };
  await mkdir(folder(ctx), { recursive: true });
  await writeFile(join(folder(ctx), `${token}.json`), JSON.stringify(record));
  return token;
}

/** The upload was finished or cancelled. */
export async function forgetUpload(ctx: EngineContext, token: string): Promise<void> {
  await rm(join(folder(ctx), `${token}.json`), { force: true });
}

/** Cancels the unfinished large files of this workspace's processes that no longer run; returns how many. */
export async function cancelLeftoverUploads(ctx: EngineContext): Promise<number> {
  const names = await readdir(folder(ctx)).catch(() => [] as string[]);
  const own = ownProcessFacts();
  const leftovers = new Map<string, UploadRecord>();
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const record = await readRecord(join(folder(ctx), name));
    if (!record) await rm(join(folder(ctx), name), { force: true });
    else if (isGone(record, own)) leftovers.set(record.token, record);
  }
  if (leftovers.size === 0) return 0;
  const store = await ctx.store();
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  let cancelled = 0;
  for (const file of await store.listUnfinishedLargeFiles(ctx.ws.config.prefix, signal)) {
    const token = file.info[UPLOAD_TOKEN_INFO];
    if (token === undefined || !leftovers.has(token)) continue;
    await store.cancelLargeFile(file.id, signal);
    cancelled++;
  }
  for (const token of leftovers.keys()) await forgetUpload(ctx, token);
  if (cancelled > 0) ctx.onWarning?.(`Cancelled ${cancelled} unfinished upload(s) left by an interrupted b2m run; nothing of them was published.`);
  return cancelled;
}

/** The record lives in this workspace folder, so a process of an earlier boot of this machine is gone too. */
function isGone(record: UploadRecord, own: ReturnType<typeof ownProcessFacts>): boolean {
  const facts = decodeProcessFacts(record.process);
  if (facts && own) return facts.boot !== own.boot || isProvablyGone(facts, own);
  if (record.pid === process.pid) return false;
  try {
    process.kill(record.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function readRecord(path: string): Promise<UploadRecord | undefined> {
  try {
    const r = JSON.parse(await readFile(path, 'utf8')) as Partial<UploadRecord>;
    return typeof r.token === 'string' && typeof r.name === 'string' && typeof r.pid === 'number' ? (r as UploadRecord) : undefined;
  } catch {
    return undefined;
  }
}
