import type { FileRecord } from './model';
import { compareNames } from '../http/names';

export interface ListRequest {
  prefix: string;
  /** Folds names into "folders" at the first delimiter after the prefix. */
  delimiter: string | null;
  startFileName: string;
  /** Position among the versions of `startFileName` (versions listing only). */
  startSequence?: number;
  maxFileCount: number;
}

export type ListEntry = { kind: 'file'; file: FileRecord } | { kind: 'folder'; name: string };

export interface ListPage {
  entries: ListEntry[];
  /** The entry to start the next page with, if any. */
  next?: ListEntry;
}

/**
 * The versions of one bucket in B2's listing order: names in UTF-8 byte order, and within a
 * name newest first (by upload-start sequence).
 */
export class BucketIndex {
  private readonly names: string[] = [];
  private readonly byName = new Map<string, FileRecord[]>();

  add(file: FileRecord): void {
    let versions = this.byName.get(file.fileName);
    if (!versions) {
      versions = [];
      this.byName.set(file.fileName, versions);
      this.names.splice(this.lowerBound(file.fileName), 0, file.fileName);
    }
    const at = versions.findIndex((v) => v.sequence < file.sequence);
    versions.splice(at === -1 ? versions.length : at, 0, file);
  }

  remove(file: FileRecord): void {
    const versions = this.byName.get(file.fileName);
    if (!versions) return;
    const at = versions.indexOf(file);
    if (at !== -1) versions.splice(at, 1);
    if (versions.length === 0) {
      this.byName.delete(file.fileName);
      this.names.splice(this.lowerBound(file.fileName), 1);
    }
  }

  /** Every version of a name, newest first. */
  versionsOf(name: string): readonly FileRecord[] {
    return this.byName.get(name) ?? [];
  }

  /** The version a download by name serves: the newest upload or hide, if it is an upload. */
  visible(name: string): FileRecord | undefined {
    const newest = this.versionsOf(name).find((v) => v.action !== 'start');
    return newest?.action === 'upload' ? newest : undefined;
  }

  listVersions(request: ListRequest): ListPage {
    return this.page(request, (name) =>
      this.versionsOf(name).filter(
        (v) => name !== request.startFileName || request.startSequence === undefined || v.sequence <= request.startSequence,
      ),
    );
  }

  listNames(request: ListRequest): ListPage {
    return this.page(request, (name) => {
      const file = this.visible(name);
      return file ? [file] : [];
    });
  }

  private page(request: ListRequest, entriesOf: (name: string) => readonly FileRecord[]): ListPage {
    const entries: ListEntry[] = [];
    for (const entry of this.walk(request, entriesOf)) {
      if (entries.length === request.maxFileCount) return { entries, next: entry };
      entries.push(entry);
    }
    return { entries };
  }

  private *walk(request: ListRequest, entriesOf: (name: string) => readonly FileRecord[]): Generator<ListEntry> {
    const { prefix, delimiter } = request;
    const start = compareNames(request.startFileName, prefix) > 0 ? request.startFileName : prefix;
    let i = this.lowerBound(start);
    while (i < this.names.length) {
      const name = this.names[i] as string;
      if (!name.startsWith(prefix)) return;
      const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
      if (delimiter && cut !== -1) {
        const folder = name.slice(0, cut + delimiter.length);
        let hasEntries = false;
        for (; i < this.names.length && (this.names[i] as string).startsWith(folder); i++) {
          hasEntries ||= entriesOf(this.names[i] as string).length > 0;
        }
        if (hasEntries) yield { kind: 'folder', name: folder };
        continue;
      }
      for (const file of entriesOf(name)) yield { kind: 'file', file };
      i++;
    }
  }

  private lowerBound(name: string): number {
    let low = 0;
    let high = this.names.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareNames(this.names[mid] as string, name) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
