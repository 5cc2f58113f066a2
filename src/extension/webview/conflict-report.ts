// Turns the engine's three-way comparison into what the conflicts view shows: conflicts of one row
// gathered into one entry, each side's cells marked against the ancestor. Pure, so it is tested
// without VS Code.
import { sameSqlValue } from '../../core/diff/sql/sql-value';
import type { SqlValue } from '../../core/diff/types';
import type { Conflict, RowValues } from '../../core/merge/types';
import type { RebaseComparison } from '../../core/sync/conflicts';
import type { NumberedVersion } from '../../core/versions/chain';
import type { ConflictCell, ConflictEntry, ConflictReport, ConflictSide, RowConflict, VersionTag } from '../../../webview-ui/src/protocol';

/** The view lists this many conflicting rows at most, and counts the rest. */
export const MAX_SHOWN_CONFLICTS = 200;

export function conflictReport(comparison: RebaseComparison, limit = MAX_SHOWN_CONFLICTS): ConflictReport {
  const entries = conflictEntries(comparison.report.conflicts);
  return {
    database: comparison.database,
    ancestor: tag(comparison.ancestor),
    theirs: comparison.theirs.map(tag),
    yourScripts: comparison.yourScripts,
    conflicts: entries.slice(0, limit),
    moreConflicts: Math.max(0, entries.length - limit),
    theirChanges: comparison.report.theirs,
    yourChanges: comparison.report.yours,
    cleanlyMerged: comparison.report.cleanlyMerged,
  };
}

/** One entry per conflicting row (the cells both sides changed in it together) or table definition. */
export function conflictEntries(conflicts: readonly Conflict[]): ConflictEntry[] {
  const entries: ConflictEntry[] = [];
  const sameCellRows = new Map<string, RowConflict>();
  for (const c of conflicts) {
    switch (c.kind) {
      case 'schema-both':
        entries.push({ kind: 'schema', table: c.table, theirs: c.theirs, yours: c.yours });
        break;
      case 'same-cell': {
        const id = JSON.stringify([c.table, c.key]);
        let entry = sameCellRows.get(id);
        if (!entry) {
          entry = { kind: 'row', table: c.table, key: keyOf(c.key), what: 'both changed it', columns: [], ancestor: row([]), theirs: row([]), yours: row([]) };
          sameCellRows.set(id, entry);
          entries.push(entry);
        }
        entry.columns.push(c.column);
        cellsOf(entry.ancestor).push(cell(c.ancestor, 'same'));
        cellsOf(entry.theirs).push(cell(c.theirs, 'conflict'));
        cellsOf(entry.yours).push(cell(c.yours, 'conflict'));
        break;
      }
      case 'deleted-by-theirs-changed-by-yours':
        entries.push(rowEntry(c.table, c.key, c.ancestor ? 'they deleted it, you changed it' : 'they dropped the table, you inserted this row', c.ancestor, 'deleted', c.yours));
        break;
      case 'changed-by-theirs-deleted-by-yours':
        entries.push(rowEntry(c.table, c.key, c.ancestor ? 'they changed it, you deleted it' : 'they inserted this row, you dropped the table', c.ancestor, c.theirs, 'deleted'));
        break;
      case 'insert-same-key':
        entries.push(rowEntry(c.table, c.key, 'both inserted a row with this key', undefined, c.theirs, c.yours));
        break;
    }
  }
  return entries;
}

type SideRow = RowValues | 'deleted';

function rowEntry(table: string, key: RowValues, what: string, ancestor: RowValues | undefined, theirs: SideRow, yours: SideRow): RowConflict {
  const present = [ancestor, theirs, yours].filter((r): r is RowValues => r !== undefined && r !== 'deleted');
  const columns = [...new Set(present.flatMap((r) => Object.keys(r)))];
  // With no ancestor, a side is marked against the other: both inserted, or one side's row is all new.
  const sideOf = (side: SideRow, otherSide: SideRow): ConflictSide => {
    if (side === 'deleted') return { state: 'deleted' };
    const against = ancestor ?? (otherSide === 'deleted' ? undefined : otherSide);
    return row(columns.map((column) => cell(side[column], markOf(side[column], against, column, ancestor === undefined))));
  };
  return {
    kind: 'row',
    table,
    key: keyOf(key),
    what,
    columns,
    ancestor: ancestor ? row(columns.map((column) => cell(ancestor[column], 'same'))) : { state: 'absent' },
    theirs: sideOf(theirs, yours),
    yours: sideOf(yours, theirs),
  };
}

function markOf(value: SqlValue | undefined, against: RowValues | undefined, column: string, noAncestor: boolean): ConflictCell['mark'] {
  if (against === undefined) return 'changed';
  const before = against[column];
  const same = value === undefined || before === undefined ? value === before : sameSqlValue(value, before);
  if (same) return 'same';
  return noAncestor ? 'conflict' : 'changed';
}

function keyOf(key: RowValues): RowConflict['key'] {
  return Object.entries(key).map(([column, value]) => ({ column, value }));
}

function row(cells: ConflictCell[]): ConflictSide {
  return { state: 'row', cells };
}

function cellsOf(side: ConflictSide): ConflictCell[] {
  if (side.state !== 'row') throw new Error('a same-cell conflict has rows on every side');
  return side.cells;
}

function cell(value: SqlValue | undefined, mark: ConflictCell['mark']): ConflictCell {
  return value === undefined ? { mark } : { value, mark };
}

function tag(version: NumberedVersion): VersionTag {
  return { number: version.number, ...(version.author ? { author: version.author } : {}) };
}
