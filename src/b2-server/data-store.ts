import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BucketIndex } from './bucket-index';
import { makeFileId, SequenceCounter } from './file-id';
import { AtomicJsonFiles, readJsonFile } from './json-files';
import type { BucketRecord, FileRecord, PartRecord } from './model';

/** Records read at once when loading, to stay far below the open-file limit. */
const LOAD_BATCH = 64;

/**
 * All state of the server, kept in memory and mirrored in the data folder so that it survives
 * restarts:
 *   buckets.json              the buckets
 *   files/<fileId>.json       one record per version (uploads, hide markers, unfinished large files)
 *   content/<fileId>          content of simple files
 *   parts/<fileId>/<n>        parts of large files (finished large files are served from them)
 *   tmp/                      bodies being received; emptied at start
 */
export class DataStore {
  private readonly buckets = new Map<string, BucketRecord>();
  private readonly indexes = new Map<string, BucketIndex>();
  private readonly files = new Map<string, FileRecord>();
  private readonly sequences = new SequenceCounter();
  private readonly json = new AtomicJsonFiles();

  private constructor(readonly dataDir: string) {}

  static async open(dataDir: string): Promise<DataStore> {
    const store = new DataStore(dataDir);
    await store.load();
    return store;
  }

  listBuckets(): BucketRecord[] {
    return [...this.buckets.values()].sort((a, b) => a.bucketName.localeCompare(b.bucketName));
  }

  bucket(bucketId: string): BucketRecord | undefined {
    return this.buckets.get(bucketId);
  }

  bucketByName(bucketName: string): BucketRecord | undefined {
    return [...this.buckets.values()].find((b) => b.bucketName === bucketName);
  }

  async createBucket(bucketName: string, bucketType: BucketRecord['bucketType']): Promise<BucketRecord> {
    const bucket: BucketRecord = { bucketId: randomBytes(12).toString('hex'), bucketName, bucketType };
    this.buckets.set(bucket.bucketId, bucket);
    this.indexes.set(bucket.bucketId, new BucketIndex());
    await this.json.write(join(this.dataDir, 'buckets.json'), () => [...this.buckets.values()]);
    return bucket;
  }

  index(bucketId: string): BucketIndex {
    const index = this.indexes.get(bucketId);
    if (!index) throw new Error(`No index for bucket ${bucketId}`);
    return index;
  }

  file(fileId: string): FileRecord | undefined {
    return this.files.get(fileId);
  }

  /** Unfinished large files of a bucket, oldest first. */
  unfinishedLargeFiles(bucketId: string): FileRecord[] {
    return [...this.files.values()]
      .filter((f) => f.bucketId === bucketId && f.action === 'start')
      .sort((a, b) => a.sequence - b.sequence);
  }

  /** A new file id and its upload timestamp, taken when an upload starts. */
  allocateId(bucketId: string, uploadTimestamp: number, large: boolean): { fileId: string; sequence: number } {
    const sequence = this.sequences.next();
    return { fileId: makeFileId(bucketId, sequence, uploadTimestamp, large), sequence };
  }

  /** A fresh path in the data folder's tmp/ for a body being received. */
  tempPath(): string {
    return join(this.dataDir, 'tmp', randomBytes(12).toString('hex'));
  }

  absolute(relativePath: string): string {
    return join(this.dataDir, relativePath);
  }

  /** Stores a finished simple upload whose content is in `tempFile`. */
  async addUpload(file: FileRecord, tempFile: string): Promise<void> {
    const path = join('content', file.fileId);
    await rename(tempFile, this.absolute(path));
    file.segments = [{ path, length: file.contentLength }];
    await this.addRecord(file);
  }

  /** Stores a record without content: a hide marker or a started large file. */
  async addRecord(file: FileRecord): Promise<void> {
    this.files.set(file.fileId, file);
    this.index(file.bucketId).add(file);
    await this.persist(file);
  }

  /** Stores a part of an unfinished large file (replacing an earlier upload of the same number). */
  async addPart(file: FileRecord, part: Omit<PartRecord, 'path'>, tempFile: string): Promise<PartRecord> {
    const record: PartRecord = { ...part, path: join('parts', file.fileId, String(part.partNumber)) };
    await mkdir(this.absolute(join('parts', file.fileId)), { recursive: true });
    await rename(tempFile, this.absolute(record.path));
    const parts = (file.parts ?? []).filter((p) => p.partNumber !== part.partNumber);
    parts.push(record);
    file.parts = parts.sort((a, b) => a.partNumber - b.partNumber);
    await this.persist(file);
    return record;
  }

  /** Turns an unfinished large file into a finished one made of its parts. */
  async finishLargeFile(file: FileRecord): Promise<void> {
    const parts = file.parts ?? [];
    file.action = 'upload';
    file.segments = parts.map((p) => ({ path: p.path, length: p.contentLength }));
    file.contentLength = parts.reduce((sum, p) => sum + p.contentLength, 0);
    file.contentSha1 = 'none';
    delete file.parts;
    await this.persist(file);
  }

  /** Removes a version (or cancels an unfinished large file) with its content. */
  async deleteFile(file: FileRecord): Promise<void> {
    this.files.delete(file.fileId);
    this.index(file.bucketId).remove(file);
    await this.json.remove(this.recordPath(file.fileId));
    await rm(this.absolute(join('content', file.fileId)), { force: true });
    await rm(this.absolute(join('parts', file.fileId)), { recursive: true, force: true });
  }

  /** Waits for pending metadata writes (before closing). */
  settled(): Promise<void> {
    return this.json.settled();
  }

  private persist(file: FileRecord): Promise<void> {
    return this.json.write(this.recordPath(file.fileId), () => file);
  }

  private recordPath(fileId: string): string {
    return join(this.dataDir, 'files', `${fileId}.json`);
  }

  private async load(): Promise<void> {
    for (const dir of ['files', 'content', 'parts']) await mkdir(join(this.dataDir, dir), { recursive: true });
    await rm(join(this.dataDir, 'tmp'), { recursive: true, force: true });
    await mkdir(join(this.dataDir, 'tmp'));
    const buckets = await readJsonFile<BucketRecord[]>(join(this.dataDir, 'buckets.json')).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    });
    for (const bucket of buckets) {
      this.buckets.set(bucket.bucketId, bucket);
      this.indexes.set(bucket.bucketId, new BucketIndex());
    }
    const names = (await readdir(join(this.dataDir, 'files'))).filter((n) => n.endsWith('.json'));
    const records: FileRecord[] = [];
    for (let i = 0; i < names.length; i += LOAD_BATCH) {
      const batch = names.slice(i, i + LOAD_BATCH);
      records.push(...(await Promise.all(batch.map((n) => readJsonFile<FileRecord>(join(this.dataDir, 'files', n))))));
    }
    for (const file of records) {
      if (!this.indexes.has(file.bucketId)) continue;
      this.files.set(file.fileId, file);
      this.index(file.bucketId).add(file);
      this.sequences.observe(file.sequence);
    }
  }
}
