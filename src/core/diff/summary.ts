import type { DiffOutline } from './types';

/** One line per table, worded like `sqldiff --summary`. */
export function formatSummary(result: Pick<DiffOutline, 'tables'>): string {
  return result.tables
    .map((t) => {
      const kinds = new Set(t.schemaChanges.map((c) => c.kind));
      if (kinds.has('table-dropped')) return `${t.table}: missing from second database\n`;
      if (kinds.has('table-added')) return `${t.table}: missing from first database\n`;
      if (kinds.has('table-recreated')) return `${t.table}: incompatible schema\n`;
      const s = t.summary;
      return `${t.table}: ${s.changes} changes, ${s.inserts} inserts, ${s.deletes} deletes, ${s.unchanged} unchanged\n`;
    })
    .join('');
}
