import type { SchemaObject } from './schema-reader';
import type { SchemaChange } from '../types';

export interface ObjectChanges {
  added: SchemaObject[];
  dropped: SchemaObject[];
  /** Pairs of A's and B's version of an object whose SQL differs. */
  changed: [SchemaObject, SchemaObject][];
  /** In both databases with the same SQL (B's version). */
  same: SchemaObject[];
}

/** Indexes, views or triggers of A and B paired by name. */
export function compareObjects(a: SchemaObject[], b: SchemaObject[]): ObjectChanges {
  const id = (o: SchemaObject) => `${o.type} ${o.name}`;
  const inA = new Map(a.map((o) => [id(o), o]));
  const inB = new Map(b.map((o) => [id(o), o]));
  const result: ObjectChanges = { added: [], dropped: [], changed: [], same: [] };
  for (const objectA of a) if (!inB.has(id(objectA))) result.dropped.push(objectA);
  for (const objectB of b) {
    const objectA = inA.get(id(objectB));
    if (objectA === undefined) result.added.push(objectB);
    else if (objectA.sql !== objectB.sql) result.changed.push([objectA, objectB]);
    else result.same.push(objectB);
  }
  return result;
}

export function objectSchemaChanges(changes: ObjectChanges): SchemaChange[] {
  return [
    ...changes.dropped.map((o): SchemaChange => ({ kind: `${o.type}-dropped`, name: o.name, sql: o.sql })),
    ...changes.changed.map(([o, n]): SchemaChange => ({ kind: `${o.type}-changed`, name: o.name, oldSql: o.sql, newSql: n.sql })),
    ...changes.added.map((o): SchemaChange => ({ kind: `${o.type}-added`, name: o.name, sql: o.sql })),
  ];
}
