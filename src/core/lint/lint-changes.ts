import type { DiffOptions } from '../diff';
import { runDiff } from '../diff/diff-engine';
import type { DiffOutline, DiffResult, RowChange, TableDiff } from '../diff/types';
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
 * The rows are looked at as the diff finds them and not kept, so a change of millions of rows
 * costs no memory.
 */
export async function lintDatabases(before: string, after: string, options: LintOptions & Pick<DiffOptions, 'signal' | 'onProgress' | 'python' | 'scratchDir'> = {}): Promise<LintWarning[]> {
  const { deletedRowsPercent, fewRows, ...diffOptions } = options;
  const lint = lintCollector({ ...(deletedRowsPercent !== undefined ? { deletedRowsPercent } : {}), ...(fewRows !== undefined ? { fewRows } : {}) });
  return lint.warnings(await runDiff(before, after, diffOptions, { row: lint.row }));
}

/** The same, from their diff (which must hold its rows to find every row updated in one column). */
export function lintDiff(diff: DiffResult, options: LintOptions = {}): LintWarning[] {
  const lint = lintCollector(options);
  for (const t of diff.tables) for (const row of t.rows) lint.row(t.table, row);
  return lint.warnings(diff);
}

/**
 * The lint of a diff that streams its rows: `row` takes each row change as the diff finds it
 * (keeping counts, not rows), `warnings` lints once the diff's outline is known.
 */
export function lintCollector(options: LintOptions = {}): { row: (table: string, change: RowChange) => void; warnings: (outline: Pick<DiffOutline, 'tables'>) => LintWarning[] } {
  const updates = new Map<string, UpdateFacts>();
  return {
    row: (table, change) => noteUpdate(updates, table, change),
    warnings: (outline) => lintTables(outline.tables.map((t) => ({ ...t, updates: updates.get(t.table) ?? NO_UPDATES })), options),
  };
}

/** Updated rows of a table, and the columns changed in every one of them. */
interface UpdateFacts {
  count: number;
  inEveryRow: Set<number>;
}

const NO_UPDATES: UpdateFacts = { count: 0, inEveryRow: new Set() };

type TableFacts = Omit<TableDiff, 'rows'> & { updates: UpdateFacts };

function noteUpdate(updates: Map<string, UpdateFacts>, table: string, change: RowChange): void {
  if (change.kind !== 'update') return;
  const facts = updates.get(table);
  if (!facts) updates.set(table, { count: 1, inEveryRow: new Set(change.changed) });
  else {
    facts.count++;
    for (const column of facts.inEveryRow) if (!change.changed.includes(column)) facts.inEveryRow.delete(column);
  }
}

function lintTables(tables: TableFacts[], options: LintOptions): LintWarning[] {
  const percent = options.deletedRowsPercent ?? 50;
  const fewRows = options.fewRows ?? 5;
  return tables.filter((t) => t.table !== 'sqlite_sequence').flatMap((t) => lintTable(t, percent, fewRows));
}

function lintTable(t: TableFacts, percent: number, fewRows: number): LintWarning[] {
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
function updatedColumns(t: TableFacts, kept: number, fewRows: number): LintWarning[] {
  if (kept <= fewRows || t.updates.count !== kept) return [];
  const added = new Set(t.schemaChanges.flatMap((c) => (c.kind === 'columns-added' ? c.columns.map((col) => col.name) : [])));
  return t.columns
    .map((column, index) => ({ column: column.name, index }))
    .filter(({ column, index }) => !added.has(column) && t.updates.inEveryRow.has(index))
    .map(({ column }) => warning('all-rows-updated', t.table, `Every row of table ${t.table} (${rows(kept)}) gets a new value in column ${column}.`, column));
}

function warning(kind: LintKind, table: string, message: string, column?: string): LintWarning {
  return { kind, table, ...(column !== undefined ? { column } : {}), message, hint: ruleOf(kind).hint };
}

function rows(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'row' : 'rows'}`;
}
