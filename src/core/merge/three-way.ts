import { diffDatabases } from '../diff';
import type { DiffResult, SchemaChange, TableDiff } from '../diff/types';
import type { OperationOptions } from '../progress';
import { mergeTableRows } from './row-merge';
import { schemaConflicts } from './schema-merge';
import { compareKeys } from './key-order';
import type { ChangeSummary, Conflict, RowValues, ThreeWayReport } from './types';

/**
 * Compares what THEIRS and YOURS each changed since their common ANCESTOR (three SQLite files),
 * cell by cell: the same row changed in different columns, or changed the same way, merges
 * cleanly; the same cell changed to different values, a row deleted on one side and changed on
 * the other, a key inserted on both sides with different values, or the schema of one table
 * changed differently on both sides, conflicts. Rows pair as in the diff: by primary key, else
 * rowid. b2m's own `_b2m_migrations` table is left out.
 */
export async function compareThreeWay(ancestor: string, theirs: string, yours: string, options: OperationOptions = {}): Promise<ThreeWayReport> {
  const diffOptions = { ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  const theirChanges = await diffDatabases(ancestor, theirs, { ...diffOptions, labels: { a: 'ancestor', b: 'theirs' } });
  const yourChanges = await diffDatabases(ancestor, yours, { ...diffOptions, labels: { a: 'ancestor', b: 'yours' } });
  return compareChanges(theirChanges, yourChanges);
}

/** The three-way comparison of two diffs from one ancestor (ancestor → theirs, ancestor → yours). */
export function compareChanges(theirs: DiffResult, yours: DiffResult): ThreeWayReport {
  const conflicts: Conflict[] = [];
  let cleanlyMerged = 0;
  const mine = new Map(yours.tables.filter(touched).map((t) => [t.table, t]));
  for (const t of theirs.tables.filter(touched)) {
    const y = mine.get(t.table);
    // sqlite_sequence follows from the rows inserted into other tables: only those can conflict.
    if (y === undefined || t.table === 'sqlite_sequence') continue;
    if (schemaConflicts(t.schemaChanges, y.schemaChanges)) {
      conflicts.push({ kind: 'schema-both', table: t.table, theirs: t.schemaChanges, yours: y.schemaChanges });
      continue;
    }
    const rows = mergeTableRows(t, y);
    conflicts.push(...rows.conflicts.sort((p, q) => compareKeys(keyOf(p), keyOf(q))));
    cleanlyMerged += rows.cleanlyMerged;
  }
  conflicts.push(...objectConflicts(theirs.objectChanges, yours.objectChanges));
  return { conflicts, theirs: summarize(theirs), yours: summarize(yours), cleanlyMerged };
}

function keyOf(conflict: Conflict): RowValues {
  return 'key' in conflict ? conflict.key : {};
}

function touched(table: TableDiff): boolean {
  return table.schemaChanges.length > 0 || table.rows.length > 0;
}

/** Views and triggers outside compared tables, changed on both sides differently. */
function objectConflicts(theirs: SchemaChange[], yours: SchemaChange[]): Conflict[] {
  const named = (changes: SchemaChange[]) => {
    const byName = new Map<string, SchemaChange[]>();
    for (const change of changes) if ('name' in change) byName.set(change.name, [...(byName.get(change.name) ?? []), change]);
    return byName;
  };
  const mine = named(yours);
  return [...named(theirs)].flatMap(([name, t]): Conflict[] => {
    const y = mine.get(name);
    return y !== undefined && schemaConflicts(t, y) ? [{ kind: 'schema-both', table: name, theirs: t, yours: y }] : [];
  });
}

function summarize(diff: DiffResult): ChangeSummary {
  return {
    tables: diff.tables.filter(touched).map((t) => ({
      table: t.table,
      inserted: t.summary.inserts,
      updated: t.summary.changes,
      deleted: t.summary.deletes,
      schemaChanges: t.schemaChanges,
    })),
    objectChanges: diff.objectChanges,
  };
}
