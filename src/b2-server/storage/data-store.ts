import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BucketIndex } from './bucket-index';
import { ContentRefs, contentPathsOf } from './content-refs';
import { makeFileId, SequenceCounter } from './file-id';
import { AtomicJsonFiles, readJsonFile } from './json-files';
import type { BucketRecord, FileRecord, PartRecord, Segment } from './model';

/** Records read at once when loading, to stay far below the open-file limit. */
const LOAD_BATCH = 64;

/**
 * All state of the server, kept in memory and mirrored in the data folder so that it survives
 * restarts:
 *   buckets.json              the buckets
 *   files/<fileId>.json       one record per version (uploads, hide markers, unfinished large files)
 *   content/<fileId>          content of simple files
 *   parts/<fileId>/<n>.<id>   uploaded parts of large files (finished large files are served from them)
 *   tmp/                      bodies being received; emptied at start
 * A record's content is a list of segments (ranges of content files); a part copied with
 * b2_copy_part refers to the content of its source, so a content file is removed only when no
 * record refers to it any more.
 */
export class DataStore {
  private readonly buckets = new Map<string, BucketRecord>();
  private readonly indexes = new Map<string, BucketIndex>();
  private readonly files = new Map<string, FileRecord>();
  private readonly sequences = new SequenceCounter();
  private readonly json = new AtomicJsonFiles();
  private readonly refs = new ContentRefs();

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
    file.segments = [{ path, offset: 0, length: file.contentLength }];
    await this.addRecord(file);
  }

  /** Stores a record without content of its own: a hide marker or a started large file. */
  async addRecord(file: FileRecord): Promise<void> {
    this.files.set(file.fileId, file);
    this.index(file.bucketId).add(file);
    this.refs.retain(contentPathsOf(file));
    await this.persist(file);
  }

  /** Stores an uploaded part of an unfinished large file, whose content is in `tempFile`. */
  async addUploadedPart(file: FileRecord, part: Omit<PartRecord, 'segments'>, tempFile: string): Promise<void> {
    // A path of its own per upload: a part number uploaded again never overwrites content in use.
    const path = join('parts', file.fileId, `${part.partNumber}.${randomBytes(6).toString('hex')}`);
    await mkdir(this.absolute(dirname(path)), { recursive: true });
    await rename(tempFile, this.absolute(path));
    await this.addPart(file, { ...part, segments: [{ path, offset: 0, length: part.contentLength }] });
  }

  /** Adds a part to an unfinished large file, replacing an earlier part of the same number. */
  addPart(file: FileRecord, part: PartRecord): Promise<void> {
    return this.changeContent(file, () => {
      const parts = (file.parts ?? []).filter((p) => p.partNumber !== part.partNumber);
      parts.push(part);
      file.parts = parts.sort((a, b) => a.partNumber - b.partNumber);
    });
  }

  /** Turns an unfinished large file into a finished one made of its parts. */
  finishLargeFile(file: FileRecord): Promise<void> {
    return this.changeContent(file, () => {
      const parts = file.parts ?? [];
      file.action = 'upload';
      file.segments = parts.flatMap((p) => p.segments);
      file.partDigests = parts.map((p) => ({ contentLength: p.contentLength, contentSha1: p.contentSha1 }));
      file.contentLength = parts.reduce((sum, p) => sum + p.contentLength, 0);
      file.contentSha1 = 'none';
      delete file.parts;
    });
  }

  /** Removes a version (or cancels an unfinished large file), and the content nothing else refers to. */
  async deleteFile(file: FileRecord): Promise<void> {
    this.files.delete(file.fileId);
    this.index(file.bucketId).remove(file);
    await this.json.remove(this.recordPath(file.fileId));
    await this.removeContent(this.refs.release(contentPathsOf(file)));
  }

  /** Keeps the content of `segments` while a copy reads it; the returned function lets go. */
  pin(segments: readonly Segment[]): () => Promise<void> {
    const paths = new Set(segments.map((s) => s.path));
    this.refs.retain(paths);
    return () => this.removeContent(this.refs.release(paths));
  }

  /** Waits for pending metadata writes (before closing). */
  settled(): Promise<void> {
    return this.json.settled();
  }

  /** Applies a change to a stored record, then keeps its content references and the record file in step. */
  private async changeContent(file: FileRecord, change: () => void): Promise<void> {
    const before = contentPathsOf(file);
    change();
    const after = contentPathsOf(file);
    this.refs.retain([...after].filter((p) => !before.has(p)));
    const unreferenced = this.refs.release([...before].filter((p) => !after.has(p)));
    await this.persist(file);
    await this.removeContent(unreferenced);
  }

  private async removeContent(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      await rm(this.absolute(path), { force: true });
      // A large file's folder of parts goes with its last part.
      if (dirname(path) !== 'content') await rmdir(this.absolute(dirname(path))).catch(() => undefined);
    }
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
    const records: StoredRecord[] = [];
    for (let i = 0; i < names.length; i += LOAD_BATCH) {
      const batch = names.slice(i, i + LOAD_BATCH);
      records.push(...(await Promise.all(batch.map((n) => readJsonFile<StoredRecord>(join(this.dataDir, 'files', n))))));
    }
    for (const file of records.map(upgradeRecord)) {
      if (!this.indexes.has(file.bucketId)) continue;
      this.files.set(file.fileId, file);
      this.index(file.bucketId).add(file);
      this.refs.retain(contentPathsOf(file));
      this.sequences.observe(file.sequence);
    }
  }
}

/** A record as this or an earlier version of the server wrote it (segments without offsets, parts with a path). */
type StoredRecord = Omit<FileRecord, 'segments' | 'parts'> & {
  segments: Array<Omit<Segment, 'offset'> & { offset?: number }>;
  parts?: Array<Omit<PartRecord, 'segments'> & { segments?: Segment[]; path?: string }>;
};

/** Reads a record of an earlier version of the server as today's. */
function upgradeRecord({ segments, parts, ...file }: StoredRecord): FileRecord {
  const record: FileRecord = { ...file, segments: segments.map((s) => ({ ...s, offset: s.offset ?? 0 })) };
  if (parts) {
    record.parts = parts.map(({ path, segments: partSegments, ...part }) => ({
      ...part,
      segments: partSegments ?? (path === undefined ? [] : [{ path, offset: 0, length: part.contentLength }]),
    }));
  }
  return record;
}
