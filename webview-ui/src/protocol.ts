// Messages between the diff panel host (extension) and the diff webview. Shared by both sides,
// so it must not import `vscode` or touch the DOM.
import type { DiffResult, RowChange } from '../../src/core/diff/types';

/** Webview → host. */
export type WebviewMessage = { type: 'ready' } | { type: 'copySql' } | { type: 'saveAsMigration' };

/**
 * Host → webview. Sent only after the webview said 'ready' (and again after every 'ready', since
 * a hidden panel's webview is recreated). A large diff arrives as one `showDiff` carrying the first
 * rows plus `pendingRows` more rows in `rows` messages, in table order; `done` marks the last one.
 */
export type HostMessage =
  | { type: 'showDiff'; diff: DiffResult; pendingRows: number }
  | { type: 'rows'; table: string; rows: RowChange[]; done: boolean }
  | { type: 'error'; message: string };

const webviewMessageTypes: ReadonlySet<string> = new Set<WebviewMessage['type']>(['ready', 'copySql', 'saveAsMigration']);

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
    case 'error':
      return typeof message.message === 'string';
    default:
      return false;
  }
}

function hasStringType(value: unknown): value is { type: string } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
