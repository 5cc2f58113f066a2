import { callMatches } from './faults';

export interface RequestRecord {
  /** B2 call name, e.g. 'b2_upload_file', 'b2_download_file_by_name'. */
  call: string;
  method: string;
  /** HTTP status answered; 0 when the connection was cut before an answer. */
  status: number;
  /** The kind of injected fault that hit this request, if any. */
  fault?: string;
}

/** Every request the server has seen, so tests can assert retries happened. */
export class RequestLog {
  readonly entries: RequestRecord[] = [];

  record(entry: RequestRecord): void {
    this.entries.push(entry);
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Requests of a call ('download' and '*' work as in fault rules), optionally with one status. */
  of(call: string, status?: number): RequestRecord[] {
    return this.entries.filter((e) => callMatches(call, e.call) && (status === undefined || e.status === status));
  }
}

/** How many requests each call name has among `entries`. */
export function countByCall(entries: readonly RequestRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { call } of entries) counts[call] = (counts[call] ?? 0) + 1;
  return counts;
}
