import { diffDatabases, type DiffOptions } from '../diff';
import type { DiffResult, TableDiff } from '../diff/types';
import { ruleOf, type LintKind, type LintWarning } from './rules';

export interface LintOptions {
  /** Warn when more than this percentage of a table's rows is deleted (50 by default). */
  deletedRowsPercent?: number;
  /** Updating every row of a table this small or smaller is not warned about (5 rows by default). */
  fewRows?: number;
}

/**
 * Destructive changes between BEFORE and AFTER (e.g. a database and the result of running a
 * migration on a copy of it), measured on the files: what the statements did, not what they say.
 */
export async function lintDatabases(before: string, after: string, options: LintOptions & Pick<DiffOptions, 'signal' | 'onProgress' | 'python' | 'scratchDir'> = {}): Promise<LintWarning[]> {
  const { deletedRowsPercent, fewRows, ...diffOptions } = options;
  const diff = await diffDatabases(before, after, diffOptions);
  return lintDiff(diff, { ...(deletedRowsPercent !== undefined ? { deletedRowsPercent } : {}), ...(fewRows !== undefined ? { fewRows } : {}) });
}

/** The same, from their diff (which must hold its rows to find every row updated in one column). */
export function lintDiff(diff: DiffResult, options: LintOptions = {}): LintWarning[] {
  const percent = options.deletedRowsPercent ?? 50;
  const fewRows = options.fewRows ?? 5;
  return diff.tables.filter((t) => t.table !== 'sqlite_sequence').flatMap((t) => lintTable(t, percent, fewRows));
}

function lintTable(t: TableDiff, percent: number, fewRows: number): LintWarning[] {
  const kinds = new Set(t.schemaChanges.map((c) => c.kind));
  const { changes, inserts, deletes, unchanged } = t.summary;
  if (kinds.has('table-dropped')) return [warning('table-dropped', t.table, `Table ${t.table} is dropped, with its ${rows(deletes)}.`)];
  if (kinds.has('table-added')) return [];
  const recreated = t.schemaChanges.find((c) => c.kind === 'table-recreated');
  if (recreated) {
    // A rebuilt table's rows pair by count only: fewer rows after means rows were lost.
    const lost = Math.max(0, deletes - inserts);
    const columns = recreated.droppedColumns.map((column) =>
      warning('column-dropped', t.table, `Column ${column} of table ${t.table} is dropped, with its value in ${rows(deletes)}.`, column),
    );
    const rebuilt = columns.length === 0 ? [warning('table-rebuilt', t.table, `Table ${t.table} is rebuilt (its definition changed): ${rows(deletes)} before, ${rows(inserts)} after.`)] : [];
    return [...columns, ...rebuilt, ...deletedRows(t.table, lost, deletes, percent)];
  }
  const before = unchanged + changes + deletes;
  if (before > 0 && deletes === before && inserts > 0) {
    return [warning('table-rebuilt', t.table, `Every row of table ${t.table} is deleted (${rows(before)}) and ${rows(inserts)} inserted instead.`)];
  }
  return [...deletedRows(t.table, deletes, before, percent), ...updatedColumns(t, before - deletes, fewRows)];
}

function deletedRows(table: string, deleted: number, before: number, percent: number): LintWarning[] {
  if (deleted === 0) return [];
  if (deleted === before) return [warning('all-rows-deleted', table, `Every row of table ${table} is deleted (${rows(before)}).`)];
  const share = (deleted / before) * 100;
  if (share <= percent) return [];
  return [warning('many-rows-deleted', table, `${Math.floor(share)}% of the rows of table ${table} are deleted (${deleted.toLocaleString('en-US')} of ${before.toLocaleString('en-US')}).`)];
}

/** Columns that hold a new value in every row the table kept (columns added by the change aside). */
function updatedColumns(t: TableDiff, kept: number, fewRows: number): LintWarning[] {
  const updates = t.rows.filter((r) => r.kind === 'update');
  if (kept <= fewRows || updates.length !== kept) return [];
  const added = new Set(t.schemaChanges.flatMap((c) => (c.kind === 'columns-added' ? c.columns.map((col) => col.name) : [])));
  return t.columns
    .map((column, index) => ({ column: column.name, index }))
    .filter(({ column, index }) => !added.has(column) && updates.every((u) => u.changed.includes(index)))
    .map(({ column }) => warning('all-rows-updated', t.table, `Every row of table ${t.table} (${rows(kept)}) gets a new value in column ${column}.`, column));
}

function warning(kind: LintKind, table: string, message: string, column?: string): LintWarning {
  return { kind, table, ...(column !== undefined ? { column } : {}), message, hint: ruleOf(kind).hint };
}

function rows(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'row' : 'rows'}`;
}
