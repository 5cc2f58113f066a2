/** Progress reporting shared by every long operation of the engine. */
export interface ProgressEvent {
  /** A short name of the current step, e.g. "download", "migrate", "lock", "upload". */
  step: string;
  /** A human sentence for the step, e.g. "Downloading app.db (v3)". */
  message: string;
  /** Units done and total (bytes for transfers, rows or scripts elsewhere), when known. */
  done?: number;
  total?: number;
}

export type ProgressListener = (event: ProgressEvent) => void;

/** Byte-level progress of one transfer. */
export type TransferProgress = (doneBytes: number, totalBytes: number) => void;

export interface OperationOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}
