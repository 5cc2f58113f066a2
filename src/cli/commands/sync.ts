import { resolveDatabase } from '../../core/config';
import { formatDuration, shortVersionId } from '../../core/format';
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
  const head = `${shortVersionId(o.head.id)}`;
  if (o.result === 'up-to-date') return `${o.database} is up to date (head ${head}); no migrations to push.`;
  if (o.result === 'updated') return `${o.database} had no migrations to push; your copy now is the head ${head}.`;
  const lines = [
    o.scenario === 'first-version'
      ? `Published ${o.database} as its first version ${head}.`
      : `Published ${o.database} version ${head}${o.scenario === 'rebase' ? ' (rebased on a newer remote version)' : ''}.`,
    ...o.applied.map((m) => `  applied ${m.fileName}`),
  ];
  if (o.rebuilds > 0) lines.push(`  rebuilt ${o.rebuilds} time(s) because others published first`);
  if (o.backup) lines.push(`  previous local file kept at ${o.backup}`);
  const phases = Object.entries(o.phases)
    .map(([phase, ms]) => `${phase} ${formatDuration(ms)}`)
    .join(', ');
  lines.push(`  time: ${phases}`);
  return lines.join('\n');
}
