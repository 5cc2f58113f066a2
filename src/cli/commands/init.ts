import { initWorkspace } from '../../core/init';
import { JSON_OPTION, stringOption, type Command } from '../command';

export const initCommand: Command = {
  name: 'init',
  summary: 'create b2m.json in the current folder',
  usage: 'b2m init --bucket NAME [--prefix P] [--endpoint URL] [--database FILE]... [--json]',
  details: "Also creates the scripts/ folder and git-ignores .b2m/ (b2m's local state, snapshots and backups).",
  options: { ...JSON_OPTION, bucket: { type: 'string' }, prefix: { type: 'string' }, endpoint: { type: 'string' }, database: { type: 'string', multiple: true } },
  async run(args, io) {
    const prefix = stringOption(args, 'prefix');
    const endpoint = stringOption(args, 'endpoint');
    const databases = args.values.database as string[] | undefined;
    const { file, config } = await initWorkspace(io.cwd, {
      bucket: stringOption(args, 'bucket'),
      ...(prefix !== undefined ? { prefix } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...(databases ? { databases } : {}),
    });
    io.output.result(`Wrote ${file}.\nNext: set B2_APPLICATION_KEY_ID and B2_APPLICATION_KEY, then "b2m download" or "b2m sync".`, { file, config });
  },
};
