import { resolveDatabase } from '../../core/config';
import { shortVersionId } from '../../core/format';
import { downloadDatabase } from '../../core/sync/download';
import { JSON_OPTION, stringOption, type Command } from '../command';
import { cliContext } from '../engine-context';

export const downloadCommand: Command = {
  name: 'download',
  summary: 'replace the local database with the newest remote version (SHA-1 verified, backed up)',
  usage: 'b2m download [DB] [--version ID|vN] [--force] [--json]',
  details: 'Refuses when the local file has edits no migration explains, unless --force (a backup is kept in .b2m/backups).',
  options: { ...JSON_OPTION, force: { type: 'boolean', default: false }, version: { type: 'string' } },
  async run(args, io) {
    const ctx = await cliContext(io);
    const database = resolveDatabase(ctx.ws.config, args.positionals[0]);
    const versionId = stringOption(args, 'version');
    const outcome = await downloadDatabase(ctx, database, { force: args.values.force === true, ...(versionId ? { versionId } : {}) });
    const id = shortVersionId(outcome.version.id);
    io.output.result(
      outcome.replaced
        ? `Downloaded ${database} version ${id}.${outcome.backup ? `\nPrevious local file kept at ${outcome.backup}.` : ''}`
        : `${database} already is version ${id}.`,
      outcome,
    );
  },
};
