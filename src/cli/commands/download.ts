import { resolveDatabase } from '../../core/config';
import { describeTransfer, describeVersion } from '../../core/format';
import { downloadDatabase } from '../../core/sync/download';
import { JSON_OPTION, stringOption, type Command } from '../command';
import { cliContext } from '../engine-context';
import { backupLine } from '../format/local-file';

export const downloadCommand: Command = {
  name: 'download',
  summary: 'replace the local database with the newest remote version (SHA-1 verified, backed up)',
  usage: 'b2m download [DB] [--version VERSION] [--force] [--json]',
  details: 'Refuses when the local file has edits no migration explains, unless --force (a backup is kept in .b2m/backups).',
  options: {
    ...JSON_OPTION,
    force: { type: 'boolean', description: 'replace the local file even when it has edits no migration explains (a backup is kept in .b2m/backups)', default: 'refuse over uncaptured edits' },
    version: { type: 'string', value: 'VERSION', description: 'download this version: vN from "b2m history", or a version id', default: 'the head' },
  },
  async run(args, io) {
    const ctx = await cliContext(io);
    const database = resolveDatabase(ctx.ws.config, args.positionals[0]);
    const versionId = stringOption(args, 'version');
    const outcome = await downloadDatabase(ctx, database, { force: args.values.force === true, ...(versionId ? { versionId } : {}) });
    const { transfer } = outcome;
    const moved = transfer.downloadedBytes > 0 ? `downloaded ${describeTransfer(transfer.downloadedBytes, transfer.size)}` : `nothing downloaded${transfer.how === 'cached' || transfer.how === 'local' ? ' (a copy was here already)' : ''}`;
    const lines = [`${database} ${outcome.replaced ? 'now is' : 'already is'} ${describeVersion(outcome.version)}: ${moved}.`, ...backupLine(outcome.backup, io.cwd)];
    io.output.result(lines.join('\n'), outcome);
  },
};
