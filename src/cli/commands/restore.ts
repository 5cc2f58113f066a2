import { BadInputError } from '../../core/errors';
import { planRestore, restoreVersion, type RestorePlan } from '../../core/sync/restore';
import { describeVersion } from '../../core/format';
import { versionLabel } from '../../core/versions/numbering';
import { JSON_OPTION, numberOption, WAIT_OPTION, type Command } from '../command';
import { databaseAndArgument } from '../database-and-phrase';
import { cliContext } from '../engine-context';
import { backupLine } from '../format/local-file';

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'make an old version the new head (appends to history, never rewrites it)',
  usage: 'b2m restore [DB] VERSION [--yes] [--wait SECONDS] [--json]',
  details: [
    'VERSION is vN from "b2m history" or a version id. Shows what the restore undoes and asks first',
    '(on a terminal); --yes confirms without asking, as scripts need.',
  ].join('\n'),
  options: {
    ...JSON_OPTION,
    ...WAIT_OPTION,
    yes: { type: 'boolean', description: 'restore without asking', default: 'ask on a terminal; refuse without one' },
  },
  async run(args, io) {
    const ctx = await cliContext(io);
    const { database, argument: version } = databaseAndArgument(ctx.ws.config, args, 'the version to restore', restoreCommand);
    const waitSeconds = numberOption(args, 'wait');
    if (args.values.yes !== true) {
      const plan = await planRestore(ctx, database, version);
      io.output.info(describePlan(plan));
      if (!(await io.confirm(`Make ${versionLabel(plan.restored.number)} the new head of ${database}?`))) {
        throw new BadInputError('Not confirmed; nothing was restored.', 'Pass --yes to confirm without a terminal.');
      }
    }
    const outcome = await restoreVersion(ctx, database, version, waitSeconds !== undefined ? { waitMs: waitSeconds * 1000 } : {});
    const lines = [`Restored ${database} to the content of ${describeVersion(outcome.restored)}: the new head is ${describeVersion(outcome.published)}.`, ...backupLine(outcome.backup, io.cwd)];
    if (outcome.undoneMigrations.length > 0) {
      lines.push('These migrations are not in the restored version; the next sync applies them again unless you remove their scripts:');
      lines.push(...outcome.undoneMigrations.map((m) => `  ${m}`));
    }
    io.output.result(lines.join('\n'), outcome);
  },
};

function describePlan(plan: RestorePlan): string {
  const lines = [`Restoring ${plan.database} ${describeVersion(plan.restored)} replaces the head ${describeVersion(plan.head)}.`];
  if (plan.overtaken) {
    const by = plan.overtaken.overtakenBy ? versionLabel(plan.overtaken.overtakenBy.number) : 'a newer version';
    lines.push(`${versionLabel(plan.restored.number)} is not in the head's history: it was overtaken by ${by} (a fork), so restoring it drops what that branch of history added.`);
  }
  if (plan.undoneMigrations.length > 0) lines.push(`It undoes ${plan.undoneMigrations.length} migration(s) the head has: ${plan.undoneMigrations.join(', ')}.`);
  return lines.join('\n');
}
