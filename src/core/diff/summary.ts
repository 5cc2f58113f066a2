import type { DiffOutline, SchemaChange } from './types';

/**
 * One line per table, worded like `sqldiff --summary`, followed by the columns added or dropped
 * (which sqldiff does not name).
 */
export function formatSummary(result: Pick<DiffOutline, 'tables'>): string {
  return result.tables
    .map((t) => {
      const kinds = new Set(t.schemaChanges.map((c) => c.kind));
      if (kinds.has('table-dropped')) return `${t.table}: missing from second database\n`;
      if (kinds.has('table-added')) return `${t.table}: missing from first database\n`;
      const columns = columnChanges(t.schemaChanges);
      if (kinds.has('table-recreated')) return `${t.table}: incompatible schema${columns}\n`;
      const s = t.summary;
      return `${t.table}: ${s.changes} changes, ${s.inserts} inserts, ${s.deletes} deletes, ${s.unchanged} unchanged${columns}\n`;
    })
    .join('');
}

/** Whether the comparison found any difference at all (in what it compared). */
export function hasDifferences(result: Pick<DiffOutline, 'tables' | 'objectChanges'>): boolean {
  return (
    result.objectChanges.length > 0 ||
    result.tables.some((t) => t.schemaChanges.length > 0 || t.summary.changes > 0 || t.summary.inserts > 0 || t.summary.deletes > 0)
  );
}

/** e.g. "; columns dropped: a, b; column added: c", or "" when no column was added or dropped. */
function columnChanges(changes: SchemaChange[]): string {
  const added: string[] = [];
  const dropped: string[] = [];
  for (const change of changes) {
    if (change.kind === 'columns-added') added.push(...change.columns.map((c) => c.name));
    if (change.kind === 'table-recreated') {
      added.push(...change.addedColumns);
      dropped.push(...change.droppedColumns);
    }
  }
  const list = (names: string[], what: string) => (names.length === 0 ? '' : `; ${names.length === 1 ? 'column' : 'columns'} ${what}: ${names.join(', ')}`);
  return `${list(dropped, 'dropped')}${list(added, 'added')}`;
}
