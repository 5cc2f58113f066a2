// Messages between the diff panel host (extension) and the diff webview. Shared by both sides,
// so it must not import `vscode` or touch the DOM.
import type { DiffResult, RowChange, SchemaChange, SqlValue } from '../../src/core/diff/types';
import type { ChangeSummary } from '../../src/core/merge/types';

/** Webview → host. The last three are the buttons of the conflicts view. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'copySql' }
  | { type: 'saveAsMigration' }
  | { type: 'publishAnyway' }
  | { type: 'openMigration' }
  | { type: 'cancel' };

/**
 * Host → webview. Sent only after the webview said 'ready' (and again after every 'ready', since
 * a hidden panel's webview is recreated). A large diff arrives as one `showDiff` carrying the first
 * rows plus `pendingRows` more rows in `rows` messages, in table order; `done` marks the last one.
 */
export type HostMessage =
  | { type: 'showDiff'; diff: DiffResult; pendingRows: number }
  | { type: 'rows'; table: string; rows: RowChange[]; done: boolean }
  /** `publishing`: its "Publish anyway" still runs (the view is new because the panel was hidden meanwhile). */
  | { type: 'showConflicts'; report: ConflictReport; publishing?: boolean }
  | { type: 'error'; message: string };

/**
 * A sync stopped by conflicts, as the three-way view shows it: per conflicting row the ancestor,
 * theirs and yours side by side, each cell marked; then what each side changed.
 */
export interface ConflictReport {
  database: string;
  /** The version both sides descend from. */
  ancestor: VersionTag;
  /** Their versions since the ancestor, newest (the head) first. */
  theirs: VersionTag[];
  /** Your scripts, replayed on the head by a sync. */
  yourScripts: string[];
  conflicts: ConflictEntry[];
  /** Conflicts left out of `conflicts` (it holds the first ones). */
  moreConflicts: number;
  theirChanges: ChangeSummary;
  yourChanges: ChangeSummary;
  /** Rows both sides changed that merge without conflict. */
  cleanlyMerged: number;
}

export interface VersionTag {
  number: number;
  author?: string;
}

export type ConflictEntry = RowConflict | SchemaConflict;

/** One row both sides touched: the cells of `columns` on each side. */
export interface RowConflict {
  kind: 'row';
  table: string;
  /** The row's key, column by column. */
  key: { column: string; value: SqlValue }[];
  /** What happened, in a few words, e.g. "both changed it", "they deleted it, you changed it". */
  what: string;
  columns: string[];
  ancestor: ConflictSide;
  theirs: ConflictSide;
  yours: ConflictSide;
}

/** A side's row (its cells, in the order of `columns`), or why it has none. */
export type ConflictSide = { state: 'row'; cells: ConflictCell[] } | { state: 'absent' } | { state: 'deleted' };

/**
 * A cell: its value (absent when that side has no such column: it dropped it), and `changed` when
 * it differs from the ancestor, `conflict` when both sides changed it differently.
 */
export interface ConflictCell {
  value?: SqlValue;
  mark: 'same' | 'changed' | 'conflict';
}

/** Both sides changed the definition of one table (or its index, view or trigger). */
export interface SchemaConflict {
  kind: 'schema';
  table: string;
  theirs: SchemaChange[];
  yours: SchemaChange[];
}

const webviewMessageTypes: ReadonlySet<string> = new Set<WebviewMessage['type']>(['ready', 'copySql', 'saveAsMigration', 'publishAnyway', 'openMigration', 'cancel']);

export function isWebviewMessage(value: unknown): value is WebviewMessage {
  return hasStringType(value) && webviewMessageTypes.has(value.type);
}

export function isHostMessage(value: unknown): value is HostMessage {
  if (!hasStringType(value)) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'showDiff':
      return typeof message.diff === 'object' && message.diff !== null && typeof message.pendingRows === 'number';
    case 'rows':
      return typeof message.table === 'string' && Array.isArray(message.rows) && typeof message.done === 'boolean';
    case 'showConflicts':
      return typeof message.report === 'object' && message.report !== null && (message.publishing === undefined || typeof message.publishing === 'boolean');
    case 'error':
      return typeof message.message === 'string';
    default:
      return false;
  }
}

function hasStringType(value: unknown): value is { type: string } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
