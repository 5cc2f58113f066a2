import { resolveDatabase } from '../../core/config';
import { describeTransfer, formatTime } from '../../core/format';
import { versionLabel } from '../../core/versions/numbering';
import { downloadDatabase } from '../../core/sync/download';
import { JSON_OPTION, stringOption, type Command } from '../command';
import { cliContext } from '../engine-context';

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
    const v = outcome.version;
    const what = `${database} ${versionLabel(v.number)} (by ${v.author ?? 'unknown'}, ${formatTime(v.uploadTimestamp)})`;
    const moved = outcome.transfer.how === 'cached' ? 'already cached locally' : `fetched ${describeTransfer(outcome.transfer.downloadedBytes, outcome.transfer.size)}`;
    io.output.result(
      outcome.replaced ? `Downloaded ${what}: ${moved}.${outcome.backup ? `\nPrevious local file kept at ${outcome.backup}.` : ''}` : `${database} already is ${versionLabel(v.number)}.`,
      outcome,
    );
  },
};
