import { resolveDatabase } from '../../core/config';
import { describeTransfer, describeVersion, formatDuration } from '../../core/format';
import { versionLabel } from '../../core/versions/numbering';
import { syncDatabase, type SyncOutcome } from '../../core/sync/sync';
import { JSON_OPTION, numberOption, WAIT_OPTION, type Command } from '../command';
import { cliContext } from '../engine-context';
import { backupLine } from '../format/local-file';

export const syncCommand: Command = {
  name: 'sync',
  summary: 'apply your pending migrations to the newest remote version and publish it (lock held only for the upload)',
  usage: 'b2m sync [DB] [--wait SECONDS] [--force] [--yes] [--json]',
  details: [
    'Scenarios: remote unchanged since your base → publishes; remote newer → rebuilds on it,',
    'stopping on cells changed both remotely and by your migrations (override with --force); locked by',
    'someone else → exits 3 (or waits up to --wait seconds). A database that exists only locally becomes',
    'the first version. Migrations that destroy data (a table or column dropped, a table rebuilt, every',
    'row deleted or updated, most rows deleted) are shown and need a confirmation: asked on a terminal,',
    '--yes in scripts.',
  ].join('\n'),
  options: {
    ...JSON_OPTION,
    ...WAIT_OPTION,
    force: { type: 'boolean', description: 'publish even when the remote changes since your base conflict with yours', default: 'stop with exit 4 and a table of the conflicts' },
    yes: { type: 'boolean', description: 'publish migrations that destroy data without asking', default: 'ask on a terminal; without one, stop with exit 2' },
  },
  async run(args, io) {
    const ctx = await cliContext(io);
    const database = resolveDatabase(ctx.ws.config, args.positionals[0]);
    const waitSeconds = numberOption(args, 'wait');
    const outcome = await syncDatabase(ctx, database, {
      force: args.values.force === true,
      ...(waitSeconds !== undefined ? { waitMs: waitSeconds * 1000 } : {}),
      confirmDestructive: async (warnings) => {
        for (const w of warnings) io.output.warn(`${w.message} ${w.hint}`);
        return args.values.yes === true || io.confirm(`Publish ${database} with these destructive changes?`);
      },
    });
    io.output.result(describeSync(outcome, io.cwd), outcome);
  },
};

/** "<result>: <what was pushed>, <what was downloaded>." then the details, the same way for every result. */
function describeSync(o: SyncOutcome, cwd: string): string {
  const pushed = o.result === 'published' ? `uploaded ${describeTransfer(o.transfer.uploadedBytes, o.transfer.size)}` : 'nothing to push';
  const downloaded = o.transfer.downloadedBytes > 0 ? `downloaded ${describeTransfer(o.transfer.downloadedBytes, o.head.size)}` : 'nothing downloaded';
  const how = o.scenario === 'first-version' ? ' as its first version' : o.scenario === 'rebase' ? ' (rebased on a newer remote version)' : '';
  const lines = [
    o.result === 'published'
      ? `Published ${o.database} ${describeVersion(o.head)}${how}: ${pushed}, ${downloaded}.`
      : `${o.database} is up to date with ${describeVersion(o.head)}: ${pushed}, ${downloaded}.`,
    ...o.applied.map((m) => `  applied ${m.fileName}`),
  ];
  if (o.result === 'published') lines.push(`  lock held ${formatDuration(o.transfer.lockHeldMs)}`);
  if (o.rebuilds > 0) lines.push(`  rebuilt ${o.rebuilds} time(s) because others published first`);
  if (o.baseOvertaken) lines.push(`  your base ${versionLabel(o.baseOvertaken.overtaken.number)} had been overtaken; its migrations were replayed on the head`);
  for (const v of o.overtook) lines.push(`  ${v.author ?? 'someone'}'s ${versionLabel(v.number)} was published on the same parent meanwhile; yours overtook it and their next sync replays their migrations`);
  lines.push(...backupLine(o.backup, cwd));
  if (o.installProblem) lines.push(`  not installed locally: ${o.installProblem} Run "b2m download ${o.database}" to put the new version in place of your local file.`);
  if (o.result === 'published') {
    lines.push(`  time: ${Object.entries(o.phases).map(([phase, ms]) => `${phase} ${formatDuration(ms)}`).join(', ')}`);
  }
  return lines.join('\n');
}
