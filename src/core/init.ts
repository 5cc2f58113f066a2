import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_CONFIG, parseConfig, writeConfig, type B2mConfig } from './config';

export interface InitOptions {
  bucket: string | undefined;
  prefix?: string;
  databases?: string[];
  endpoint?: string;
}

/**
 * Starts a b2m workspace in `root`: writes b2m.json (refusing to overwrite one), creates the
 * migrations folder, and keeps `.b2m/` (local state, snapshots, backups) out of git.
 */
export async function initWorkspace(root: string, options: InitOptions, source = 'b2m init'): Promise<{ file: string; config: B2mConfig }> {
  const config = parseConfig(
    {
      bucket: options.bucket,
      prefix: options.prefix ?? DEFAULT_CONFIG.prefix,
      databases: options.databases ?? ['app.db'],
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    },
    source,
  );
  const file = await writeConfig(root, config);
  await mkdir(join(root, config.migrationsDir), { recursive: true });
  await ignoreStateFolder(root);
  return { file, config };
}

async function ignoreStateFolder(root: string): Promise<void> {
  const gitignore = join(root, '.gitignore');
  const text = await readFile(gitignore, 'utf8').catch(() => '');
  if (text.split('\n').some((line) => line.trim() === '.b2m/' || line.trim() === '.b2m')) return;
  await appendFile(gitignore, `${text === '' || text.endsWith('\n') ? '' : '\n'}.b2m/\n`);
}
