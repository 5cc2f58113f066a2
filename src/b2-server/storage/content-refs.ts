import type { FileRecord, Segment } from './model';

/** The content files a record refers to: its segments and those of its parts. */
export function contentPathsOf(file: FileRecord): Set<string> {
  const segments: Segment[] = [...file.segments, ...(file.parts ?? []).flatMap((p) => p.segments)];
  return new Set(segments.map((s) => s.path));
}

/**
 * How many records (and copies in progress) refer to each content file. A content file may be
 * removed only when nothing refers to it any more: deleting a version must not take bytes that
 * a part copied from it still uses. Rebuilt from the records at every start.
 */
export class ContentRefs {
  private readonly counts = new Map<string, number>();

  retain(paths: Iterable<string>): void {
    for (const path of paths) this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
  }

  /** Drops one reference to each path; returns the paths nothing refers to any more. */
  release(paths: Iterable<string>): string[] {
    const unreferenced: string[] = [];
    for (const path of paths) {
      const count = (this.counts.get(path) ?? 0) - 1;
      if (count > 0) {
        this.counts.set(path, count);
      } else {
        this.counts.delete(path);
        unreferenced.push(path);
      }
    }
    return unreferenced;
  }
}
