import { canonicalKey } from './sql/sql-value';
import type { DiffResult, RowKey } from './types';

export interface ChangedKeys {
  /** Tables with any schema change: created, dropped, recreated, columns added, index or trigger changes. */
  schemaTables: Set<string>;
  /** Per table, the rows inserted, deleted or updated, by rowKeyString. */
  rows: Map<string, Set<string>>;
  /** Names of changed views and of triggers not attached to a compared table. */
  objects: Set<string>;
}

/** What a diff touches, for checking whether two diffs from one base overlap. */
export function changedKeys(result: DiffResult): ChangedKeys {
  const keys: ChangedKeys = { schemaTables: new Set(), rows: new Map(), objects: new Set() };
  for (const table of result.tables) {
    if (table.schemaChanges.length > 0) keys.schemaTables.add(table.table);
    if (table.rows.length > 0) keys.rows.set(table.table, new Set(table.rows.map((r) => rowKeyString(r.key))));
  }
  for (const change of result.objectChanges) if ('name' in change) keys.objects.add(change.name);
  return keys;
}

/** A row's key as a canonical string: equal keys give equal strings, across diffs of one schema. */
export function rowKeyString(key: RowKey): string {
  return `${JSON.stringify(key.columns)}=${canonicalKey(key.values)}`;
}
