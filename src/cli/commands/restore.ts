import { resolveDatabase } from '../../core/config';
import { shortVersionId } from '../../core/format';
import { restoreVersion } from '../../core/sync/restore';
import { JSON_OPTION, numberOption, requirePositional, type Command } from '../command';
import { cliContext } from '../engine-context';

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'make an old version the new head (appends to history, never rewrites it)',
  usage: 'b2m restore DB VERSION [--wait SECONDS] [--json]',
  details: 'VERSION is vN from "b2m history" or a version id.',
  options: { ...JSON_OPTION, wait: { type: 'string' } },
  async run(args, io) {
    const ctx = await cliContext(io);
    const database = resolveDatabase(ctx.ws.config, requirePositional(args, 0, 'the database', restoreCommand));
    const version = requirePositional(args, 1, 'the version to restore', restoreCommand);
    const waitSeconds = numberOption(args, 'wait');
    const outcome = await restoreVersion(ctx, database, version, waitSeconds !== undefined ? { waitMs: waitSeconds * 1000 } : {});
    const lines = [`Restored ${database} to the content of ${shortVersionId(outcome.restored.id)} as new head ${shortVersionId(outcome.head.id)}.`];
    if (outcome.undoneMigrations.length > 0) {
      lines.push('These migrations are not in the restored version; the next sync applies them again unless you remove their scripts:');
      lines.push(...outcome.undoneMigrations.map((m) => `  ${m}`));
    }
    io.output.result(lines.join('\n'), outcome);
  },
};
