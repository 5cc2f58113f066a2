import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Workspace } from '../../config';
import { b2mDir } from '../../paths';

/**
 * `.b2m/tmp/`, where candidates and captures are built. Files there carry the pid of the process
 * that made them; those of processes that no longer run (a killed sync) are removed on the way in.
 */
export async function workFolder(ws: Workspace): Promise<string> {
  const folder = join(b2mDir(ws), 'tmp');
  await mkdir(folder, { recursive: true });
  const names = await readdir(folder);
  await Promise.all(
    names.map(async (name) => {
      const pid = WORK_FILE.exec(name)?.[1];
      if (pid !== undefined && !isRunning(Number(pid))) await rm(join(folder, name), { force: true });
    }),
  );
  return folder;
}

const PURPOSES = ['candidate', 'capture', 'yours'] as const;
const WORK_FILE = new RegExp(`\\.(\\d+)\\.(${PURPOSES.join('|')})\\.db`);

/** Name of a work file of this process: `<database>.<pid>.<purpose>.db`. */
export function workFileName(database: string, purpose: (typeof PURPOSES)[number]): string {
  return `${database}.${process.pid}.${purpose}.db`;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
