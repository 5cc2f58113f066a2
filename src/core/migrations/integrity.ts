import type { Migration } from './discover';
import { migrationFileName, byId } from './naming';
import { computePending, type RecordedMigration } from './pending';

/**
 * What can be wrong between the scripts folder and what a database recorded:
 * - `changed`: a script edited after it was applied (its checksum differs); the edit never runs;
 * - `renamed`: the file with a recorded id now has another phrase than the one recorded;
 * - `missing`: a recorded script whose file is gone (deleted, renamed with a new id, or not pulled yet);
 * - `out-of-order`: a new script whose id is older than the newest recorded one: it runs after newer scripts.
 */
export type ScriptIssueKind = 'changed' | 'renamed' | 'missing' | 'out-of-order';

export interface ScriptIssue {
  kind: ScriptIssueKind;
  /** The script's 23-digit id. */
  id: string;
  /** The file's name in the scripts folder; for `missing`, the name it was recorded under. */
  fileName: string;
  /** What is wrong, for people. */
  message: string;
  /** What to do about it. */
  hint: string;
}

export interface ScriptIssueOptions {
  /** How messages name the database version that recorded the scripts, e.g. "the head (v3)". */
  recordedIn?: string;
}

const KIND_ORDER: readonly ScriptIssueKind[] = ['missing', 'changed', 'renamed', 'out-of-order'];

/**
 * Compares the scripts on disk with what a database version recorded (its `_b2m_migrations` rows,
 * or its manifest's list) and says what is wrong, in id order. Pure: reads nothing.
 */
export function findScriptIssues(scripts: readonly Migration[], recorded: readonly RecordedMigration[], options: ScriptIssueOptions = {}): ScriptIssue[] {
  const where = options.recordedIn ?? 'the database';
  const { pending, changed, missing } = computePending(scripts, recorded);
  const recordedById = new Map(recorded.map((r) => [r.id, r]));
  const newest = [...recorded].sort(byId).at(-1);
  const issues: ScriptIssue[] = [
    ...missing.map((r) => missingIssue(r, pending, where)),
    ...changed.map(({ migration }) => changedIssue(migration, where)),
    ...scripts.flatMap((m) => {
      const row = recordedById.get(m.id);
      return row && row.name !== m.phrase ? [renamedIssue(m, row, where)] : [];
    }),
    ...(newest ? pending.filter((m) => m.id < newest.id).map((m) => outOfOrderIssue(m, newest, where)) : []),
  ];
  return issues.sort((a, b) => byId(a, b) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
}

function missingIssue(row: RecordedMigration, pending: readonly Migration[], where: string): ScriptIssue {
  const fileName = migrationFileName(row.id, row.name);
  const copy = pending.find((m) => m.checksum === row.checksum);
  if (copy) {
    return {
      kind: 'missing',
      id: row.id,
      fileName,
      message: `${fileName} is recorded in ${where}, but its file is gone; ${copy.fileName} has the same content under a new id, so it would run a second time.`,
      hint: `Give ${copy.fileName} back its recorded name ${fileName} (git mv): b2m knows scripts by their id.`,
    };
  }
  return {
    kind: 'missing',
    id: row.id,
    fileName,
    message: `${fileName} is recorded in ${where}, but no script with its id is in the scripts folder.`,
    hint: 'If your branch started before it was added, merge or rebase on the main branch; if it was deleted or renamed, restore it from git. It is never run again, but the folder should show what made the database.',
  };
}

function changedIssue(m: Migration, where: string): ScriptIssue {
  return {
    kind: 'changed',
    id: m.id,
    fileName: m.fileName,
    message: `${m.fileName} was edited after it was applied to ${where}: the edit never runs there.`,
    hint: 'Restore the script as it was applied (git log -p shows the edit), and put the further change in a new migration ("b2m migrations create").',
  };
}

function renamedIssue(m: Migration, row: RecordedMigration, where: string): ScriptIssue {
  const recordedName = migrationFileName(row.id, row.name);
  return {
    kind: 'renamed',
    id: m.id,
    fileName: m.fileName,
    message: `${m.fileName} was applied to ${where} as ${recordedName}: it was renamed since. It is not run again (b2m knows scripts by their id).`,
    hint: `Give it back its recorded name ${recordedName} (git mv), so that history and files agree.`,
  };
}

function outOfOrderIssue(m: Migration, newest: RecordedMigration, where: string): ScriptIssue {
  return {
    kind: 'out-of-order',
    id: m.id,
    fileName: m.fileName,
    message: `${m.fileName} is older than ${migrationFileName(newest.id, newest.name)}, the newest script in ${where}: it will run out of order, after scripts written after it.`,
    hint: `Fine if the order does not matter to it. Otherwise give it a new id: "b2m migrations create ${m.phrase.replace(/_/g, ' ')}", move its body there, and delete ${m.fileName}.`,
  };
}
