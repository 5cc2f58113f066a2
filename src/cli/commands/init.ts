import { BadInputError } from '../../core/errors';
import { initWorkspace } from '../../core/init';
import { JSON_OPTION, stringOption, type Command } from '../command';

export const initCommand: Command = {
  name: 'init',
  summary: 'create b2m.json in the current folder',
  usage: 'b2m init --bucket NAME [--prefix PREFIX] [--endpoint URL] [--database FILE]... [--json]',
  details: "Also creates the scripts/ folder and git-ignores .b2m/ (b2m's local state, snapshots and backups).",
  options: {
    ...JSON_OPTION,
    bucket: { type: 'string', value: 'NAME', description: 'the B2 bucket that holds the databases (6 to 63 letters, digits or dashes)', default: 'none: it is required' },
    prefix: { type: 'string', value: 'PREFIX', description: 'where the databases live inside the bucket, e.g. dbs/', default: "the bucket's top level" },
    endpoint: { type: 'string', value: 'URL', description: 'a B2-compatible server to use instead of Backblaze, e.g. the one "b2m server" runs', default: 'Backblaze B2' },
    database: { type: 'string', value: 'FILE', multiple: true, description: 'a database file to share; the first one owns the scripts directly in scripts/', default: 'app.db' },
  },
  async run(args, io) {
    const bucket = stringOption(args, 'bucket');
    if (bucket === undefined) {
      throw new BadInputError(
        'b2m init needs the B2 bucket that will hold the databases.',
        'Give it with --bucket NAME, e.g. "b2m init --bucket my-team-bucket --database app.db". No bucket yet? Create one in the Backblaze console, or try b2m with a local one: "b2m server".',
      );
    }
    const prefix = stringOption(args, 'prefix');
    const endpoint = stringOption(args, 'endpoint');
    const databases = args.values.database as string[] | undefined;
    const { file, config } = await initWorkspace(io.cwd, {
      bucket,
      ...(prefix !== undefined ? { prefix } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...(databases ? { databases } : {}),
    });
    io.output.result(`Wrote ${file}.\nNext: set B2_APPLICATION_KEY_ID and B2_APPLICATION_KEY, then "b2m download" or "b2m sync".`, { file, config });
  },
};
