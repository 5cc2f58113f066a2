// Splits a diff into host → webview messages small enough to post: one `showDiff` with the first
// rows, then `rows` chunks in table order. Pure, so it is tested without VS Code.
import type { DiffResult, RowChange } from '../../core/diff/types';
import type { HostMessage } from '../../../webview-ui/src/protocol';

export const DEFAULT_ROWS_PER_MESSAGE = 5000;

export function diffMessages(diff: DiffResult, rowsPerMessage = DEFAULT_ROWS_PER_MESSAGE): HostMessage[] {
  if (!(rowsPerMessage >= 1)) throw new RangeError('rowsPerMessage must be at least 1');
  let budget = rowsPerMessage;
  const later: { table: string; rows: RowChange[] }[] = [];
  const tables = diff.tables.map((table) => {
    const first = table.rows.slice(0, budget);
    budget -= first.length;
    for (let start = first.length; start < table.rows.length; start += rowsPerMessage) {
      later.push({ table: table.table, rows: table.rows.slice(start, start + rowsPerMessage) });
    }
    return { ...table, rows: first };
  });
  const pendingRows = later.reduce((sum, chunk) => sum + chunk.rows.length, 0);
  return [
    { type: 'showDiff', diff: { ...diff, tables }, pendingRows },
    ...later.map((chunk, i): HostMessage => ({ type: 'rows', table: chunk.table, rows: chunk.rows, done: i === later.length - 1 })),
  ];
}
