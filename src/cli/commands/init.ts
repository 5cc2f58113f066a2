import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig, writeConfig, DEFAULT_CONFIG } from '../../core/config';
import { JSON_OPTION, stringOption, type Command } from '../command';

export const initCommand: Command = {
  name: 'init',
  summary: 'create b2m.json in the current folder',
  usage: 'b2m init --bucket NAME [--prefix P] [--endpoint URL] [--database FILE]... [--json]',
  details: 'Also creates the scripts/ folder and git-ignores .b2m/ (b2m\'s local state, snapshots and backups).',
  options: { ...JSON_OPTION, bucket: { type: 'string' }, prefix: { type: 'string' }, endpoint: { type: 'string' }, database: { type: 'string', multiple: true } },
  async run(args, io) {
    const endpoint = stringOption(args, 'endpoint');
    const config = parseConfig(
      {
        bucket: stringOption(args, 'bucket'),
        prefix: stringOption(args, 'prefix') ?? DEFAULT_CONFIG.prefix,
        databases: (args.values.database as string[] | undefined) ?? ['app.db'],
        ...(endpoint ? { endpoint } : {}),
      },
      'b2m init',
    );
    const file = await writeConfig(io.cwd, config);
    await mkdir(join(io.cwd, config.migrationsDir), { recursive: true });
    await ignoreStateFolder(io.cwd);
    io.output.result(`Wrote ${file}.\nNext: set B2_APPLICATION_KEY_ID and B2_APPLICATION_KEY, then "b2m download" or "b2m sync".`, { file, config });
  },
};

async function ignoreStateFolder(root: string): Promise<void> {
  const gitignore = join(root, '.gitignore');
  const text = await readFile(gitignore, 'utf8').catch(() => '');
  if (text.split('\n').some((line) => line.trim() === '.b2m/' || line.trim() === '.b2m')) return;
  await appendFile(gitignore, `${text === '' || text.endsWith('\n') ? '' : '\n'}.b2m/\n`);
}
