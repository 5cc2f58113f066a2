// A sync's conflicts to render in the tests, shaped the way the engine's three-way comparison
// reports them.
import type { Conflict } from '../../../src/core/merge/types';
import type { RebaseComparison } from '../../../src/core/sync/conflicts';
import type { NumberedVersion } from '../../../src/core/versions/chain';
import { SCRIPT_TEXT, int, text } from './sample-diffs';

function version(number: number, author: string): NumberedVersion {
  return { id: `id-${number}`, name: 'team.db', size: 4096, uploadTimestamp: Date.UTC(2026, 11, 1, 12, number), author, number };
}

/** Every kind of conflict: two cells of one row, deleted against changed both ways, one key inserted twice, a table both redefined. */
export function sampleConflicts(): Conflict[] {
  return [
    { kind: 'same-cell', table: 'users', key: { id: int(1) }, column: 'name', ancestor: text('ann'), theirs: text('Ann B'), yours: text('Ann A') },
    { kind: 'same-cell', table: 'users', key: { id: int(1) }, column: 'email', ancestor: null, theirs: text('ann@b.example'), yours: text('ann@a.example') },
    {
      kind: 'deleted-by-theirs-changed-by-yours',
      table: 'users',
      key: { id: int(2) },
      ancestor: { id: int(2), name: text('bob'), email: null },
      yours: { id: int(2), name: text('Bob'), email: null },
    },
    {
      kind: 'changed-by-theirs-deleted-by-yours',
      table: 'orders',
      key: { id: int(7) },
      ancestor: { id: int(7), total: int(10) },
      theirs: { id: int(7), total: int(12) },
    },
    { kind: 'insert-same-key', table: 'orders', key: { id: int(9) }, theirs: { id: int(9), total: int(5) }, yours: { id: int(9), total: int(6) } },
    {
      kind: 'schema-both',
      table: 'tags',
      theirs: [{ kind: 'columns-added', columns: [{ name: 'colour', type: 'TEXT', notNull: false, defaultSql: null, pk: 0 }] }],
      yours: [{ kind: 'columns-added', columns: [{ name: 'weight', type: 'INTEGER', notNull: false, defaultSql: null, pk: 0 }] }],
    },
  ];
}

export function sampleComparison(conflicts: Conflict[] = sampleConflicts()): RebaseComparison {
  return {
    database: 'team.db',
    ancestor: version(3, 'alice'),
    theirs: [version(5, 'carol'), version(4, 'bob')],
    yourScripts: ['20261201120000000000000_rename_ann.py'],
    report: {
      conflicts,
      theirs: {
        tables: [
          { table: 'users', inserted: 1, updated: 2, deleted: 1, schemaChanges: [] },
          { table: 'tags', inserted: 0, updated: 0, deleted: 0, schemaChanges: [{ kind: 'columns-added', columns: [{ name: 'colour', type: 'TEXT', notNull: false, defaultSql: null, pk: 0 }] }] },
        ],
        objectChanges: [],
      },
      yours: { tables: [{ table: 'users', inserted: 0, updated: 2, deleted: 0, schemaChanges: [] }], objectChanges: [{ kind: 'index-added', name: 'users_name', sql: 'CREATE INDEX users_name ON users(name)' }] },
      cleanlyMerged: 3,
    },
  };
}

/** Names and values with markup in them: the view must show them as text. */
export function hostileComparison(): RebaseComparison {
  return sampleComparison([
    { kind: 'same-cell', table: '<script>alert(2)</script>', key: { '<b>id</b>': text(SCRIPT_TEXT) }, column: '<img src=y onerror=alert(4)>', ancestor: text('a'), theirs: text(SCRIPT_TEXT), yours: text('<i>x</i>') },
  ]);
}
