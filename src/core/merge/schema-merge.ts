import type { SchemaChange } from '../diff/types';

/**
 * Whether two sides' schema changes to one table (or view, or loose trigger) conflict. The table's
 * definition and each of its indexes and triggers are separate objects: changing different objects
 * merges, changing the same one the same way merges, anything else conflicts; and a table dropped
 * on one side conflicts with any schema change on the other.
 */
export function schemaConflicts(theirs: SchemaChange[], yours: SchemaChange[]): boolean {
  if (theirs.length === 0 || yours.length === 0) return false;
  if (drops(theirs) !== drops(yours)) return true;
  const mine = byObject(yours);
  for (const [object, changes] of byObject(theirs)) {
    const other = mine.get(object);
    if (other !== undefined && JSON.stringify(other) !== JSON.stringify(changes)) return true;
  }
  return false;
}

function drops(changes: SchemaChange[]): boolean {
  return changes.some((c) => c.kind === 'table-dropped' || c.kind === 'view-dropped');
}

/** Changes grouped by the object they change: "table" for the definition, "index x" for an index. */
function byObject(changes: SchemaChange[]): Map<string, SchemaChange[]> {
  const groups = new Map<string, SchemaChange[]>();
  for (const change of changes) {
    const object = 'name' in change ? `${change.kind.split('-')[0]} ${change.name}` : 'table';
    groups.set(object, [...(groups.get(object) ?? []), change]);
  }
  return groups;
}
