import { resolveDatabase } from '../../core/config';
import { describeTransfer, formatDuration } from '../../core/format';
import { versionLabel } from '../../core/versions/numbering';
import { syncDatabase, type SyncOutcome } from '../../core/sync/sync';
import { JSON_OPTION, numberOption, type Command } from '../command';
import { cliContext } from '../engine-context';

export const syncCommand: Command = {
  name: 'sync',
  summary: 'apply your pending migrations to the newest remote version and publish it (lock held only for the upload)',
  usage: 'b2m sync [DB] [--wait SECONDS] [--force] [--json]',
  details: [
    'Scenarios: remote unchanged since your base → publishes; remote newer → rebuilds on it,',
    'stopping if its changes overlap yours (override with --force); locked by someone else → exits 3',
    '(or waits up to --wait seconds). A database that exists only locally becomes the first version.',
  ].join('\n'),
  options: { ...JSON_OPTION, wait: { type: 'string' }, force: { type: 'boolean', default: false } },
  async run(args, io) {
    const ctx = await cliContext(io);
    const database = resolveDatabase(ctx.ws.config, args.positionals[0]);
    const waitSeconds = numberOption(args, 'wait');
    const outcome = await syncDatabase(ctx, database, {
      force: args.values.force === true,
      ...(waitSeconds !== undefined ? { waitMs: waitSeconds * 1000 } : {}),
    });
    io.output.result(describeSync(outcome), outcome);
  },
};

function describeSync(o: SyncOutcome): string {
  const head = versionLabel(o.head.number);
  const downloaded = o.transfer.downloadedBytes > 0 ? `downloaded ${describeTransfer(o.transfer.downloadedBytes, o.head.size)}` : '';
  if (o.result === 'up-to-date') return `${o.database} is up to date (head ${head}); no migrations to push.`;
  if (o.result === 'updated') return `${o.database} had no migrations to push; your copy now is the head ${head}${downloaded ? ` (${downloaded})` : ''}.`;
  const lines = [
    o.scenario === 'first-version'
      ? `Published ${o.database} as its first version ${head}.`
      : `Published ${o.database} ${head}${o.scenario === 'rebase' ? ' (rebased on a newer remote version)' : ''}.`,
    ...o.applied.map((m) => `  applied ${m.fileName}`),
  ];
  lines.push(`  uploaded ${describeTransfer(o.transfer.uploadedBytes, o.transfer.size)}${downloaded ? `; ${downloaded}` : ''}; lock held ${formatDuration(o.transfer.lockHeldMs)}`);
  if (o.rebuilds > 0) lines.push(`  rebuilt ${o.rebuilds} time(s) because others published first`);
  if (o.baseOvertaken) lines.push(`  your base ${versionLabel(o.baseOvertaken.overtaken.number)} had been overtaken; its migrations were replayed on the head`);
  for (const v of o.overtook) lines.push(`  ${v.author ?? 'someone'}'s ${versionLabel(v.number)} was published on the same parent meanwhile; yours overtook it and their next sync replays their migrations`);
  if (o.backup) lines.push(`  previous local file kept at ${o.backup}`);
  if (o.installProblem) lines.push(`  not installed locally: ${o.installProblem} Run "b2m download ${o.database}" to put the new version in place of your local file.`);
  const phases = Object.entries(o.phases)
    .map(([phase, ms]) => `${phase} ${formatDuration(ms)}`)
    .join(', ');
  lines.push(`  time: ${phases}`);
  return lines.join('\n');
}
