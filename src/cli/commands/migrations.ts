import { relative } from 'node:path';
import { resolveDatabase } from '../../core/config';
import { formatSummary, hasDifferences } from '../../core/diff';
import { describeVersion } from '../../core/format';
import { lintDiff } from '../../core/lint';
import { createMigration } from '../../core/migrations/create';
import { scriptsOf } from '../../core/migrations/database-scripts';
import { tryPendingMigrations, type TryOutcome } from '../../core/sync/try-migrations';
import { listMigrations, type MigrationList, type ScriptState } from '../../core/versions/migration-list';
import { JSON_OPTION, stringOption, type Command } from '../command';
import { databaseAndPhrase } from '../database-and-phrase';
import { cliContext } from '../engine-context';
import { backupLine } from '../format/local-file';

export const migrationsCreateCommand: Command = {
  name: 'migrations create',
  summary: 'write a new migration script from the template',
  usage: 'b2m migrations create [DB] PHRASE... [--db DB] [--json]',
  details: [
    'Writes scripts/<db>/YYYYMMDDHHMMSS<nanoseconds>_<phrase>.py (scripts/ itself for the first database).',
    'DB (file name or key, e.g. app.db or app) may be left out in a workspace of one database; a first',
    'word that names a database is always the database, never part of the phrase.',
  ].join('\n'),
  options: { ...JSON_OPTION, db: { type: 'string', value: 'DB', description: 'the database (file name or key), instead of naming it first', default: 'the first word when it names a database, else the only one' } },
  async run(args, io) {
    const ctx = await cliContext(io);
    const { database, phrase } = databaseAndPhrase(ctx.ws.config, args.positionals, migrationsCreateCommand.name, stringOption(args, 'db'));
    const path = await createMigration({ ...scriptsOf(ctx.ws, database), phrase });
    io.output.result(`Created ${relative(io.cwd, path)}\nWrite the change in it, try it with "b2m migrations test", commit it, then "b2m sync".`, { database, path });
  },
};

export const migrationsListCommand: Command = {
  name: 'migrations list',
  summary: 'list migration scripts: applied in the head (or your base), pending, or changed after being applied',
  usage: 'b2m migrations list [DB] [--json]',
  details: [
    'Applied and pending are read as status reads them: from the head (its manifest, no download), else',
    'from your base, else from the local file. "changed": applied, then edited (the edit never runs);',
    '"missing": applied, but its file is not here (deleted, renamed, or not pulled yet).',
  ].join('\n'),
  options: { ...JSON_OPTION },
  async run(args, io) {
    const ctx = await cliContext(io);
    const list = await listMigrations(ctx, resolveDatabase(ctx.ws.config, args.positionals[0]));
    io.output.result(describeList(list, io.cwd), list);
  },
};

const STATE_NOTES: Record<ScriptState, string> = {
  applied: '',
  pending: '',
  changed: ' (applied, then edited: the edit never runs)',
  missing: ' (applied, but no file here: deleted, renamed or not pulled yet)',
};

function describeList(list: MigrationList, cwd: string): string {
  const count = (state: ScriptState): number => list.scripts.filter((s) => s.state === state).length;
  const counts = (['applied', 'pending', 'changed', 'missing'] as const).filter((state) => state === 'applied' || state === 'pending' || count(state) > 0).map((state) => `${count(state)} ${state}`);
  const version = list.version ? ` ${describeVersion(list.version)}` : '';
  const against = { head: `the head${version}`, base: `your base${version}`, local: 'your local file (never downloaded)', nothing: 'nothing yet (no version, no local file)' }[list.against];
  return [
    `${list.database}: ${counts.join(', ')}; applied means recorded in ${against}`,
    ...list.scripts.map((s) => `  ${s.state.padEnd(7)}  ${s.path ? relative(cwd, s.path) : s.fileName}${STATE_NOTES[s.state]}`),
  ].join('\n');
}

function localVersusResult(outcome: TryOutcome, database: string): string {
  if (outcome.matchesLocal) return `Your local ${database} holds exactly this result: no differences.`;
  if (outcome.localIsBase) return `Your local ${database} is your base version: it does not have these changes yet ("b2m sync" publishes them; --apply tries them on it).`;
  return `Your local ${database} differs from this result: it holds edits no migration makes yet ("b2m capture" turns them into one).`;
}

export const migrationsTestCommand: Command = {
  name: 'migrations test',
  summary: 'run pending migrations on a copy of your base version and compare the result with your local file',
  usage: 'b2m migrations test [DB] [--only FILE]... [--apply] [--json]',
  details: [
    'The local database is untouched unless --apply (then it is backed up and replaced by the result).',
    'After "b2m capture", "no differences" means the captured script reproduces your edits.',
    'Warns about destructive changes measured on the result: tables or columns dropped, tables rebuilt,',
    'every row deleted or updated in one column, more than half of a table\'s rows deleted.',
  ].join('\n'),
  options: {
    ...JSON_OPTION,
    apply: { type: 'boolean', description: 'replace the local database with the result (backed up first in .b2m/backups)', default: 'leave it untouched and keep the result in .b2m/tests' },
    only: { type: 'string', value: 'FILE', multiple: true, description: 'run only this pending script (file name, id or path)', default: 'every pending script' },
  },
  async run(args, io) {
    const ctx = await cliContext(io);
    const database = resolveDatabase(ctx.ws.config, args.positionals[0]);
    const only = args.values.only as string[] | undefined;
    const outcome = await tryPendingMigrations(ctx, database, { apply: args.values.apply === true, ...(only ? { only } : {}) });
    const lines = [
      outcome.tested.length ? `Ran ${outcome.tested.map((m) => m.fileName).join(', ')} on a copy of your base version of ${database}.` : `${database}: no pending migrations to test.`,
      hasDifferences(outcome.diff) ? formatSummary(outcome.diff).trimEnd() : 'No differences.',
      localVersusResult(outcome, database),
      outcome.applied ? `Applied to ${database}.` : outcome.resultPath ? `Result kept at ${relative(io.cwd, outcome.resultPath)}.` : '',
      ...backupLine(outcome.backup, io.cwd),
    ];
    const warnings = lintDiff(outcome.diff);
    io.output.result(lines.filter(Boolean).join('\n'), { ...outcome, warnings });
    for (const w of warnings) io.output.warn(`${w.message} ${w.hint}`);
  },
};
