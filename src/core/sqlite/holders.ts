import { readdir, readFile, readlink, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';

export interface ProcessHoldingFile {
  pid: number;
  /** The short command name (`/proc/<pid>/comm`), e.g. `python3` or `sqlite3`. */
  command: string;
}

/**
 * Other processes that have the database (or its -wal/-shm/-journal) open, found through the
 * `/proc/<pid>/fd` links on Linux. Processes of other users cannot be inspected and are not
 * listed; where there is no `/proc` (macOS, Windows) the list is empty.
 */
export async function findProcessesHoldingOpen(dbPath: string, procRoot = '/proc'): Promise<ProcessHoldingFile[]> {
  let entries: string[];
  try {
    entries = await readdir(procRoot);
  } catch {
    return [];
  }
  const mainFile = await realpath(dbPath).catch(() => resolve(dbPath));
  const targets = new Set([mainFile, `${mainFile}-wal`, `${mainFile}-shm`, `${mainFile}-journal`]);
  const pids = entries.filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  const holders = await Promise.all(pids.map((pid) => holderOrUndefined(procRoot, pid, targets)));
  return holders.filter((holder): holder is ProcessHoldingFile => holder !== undefined);
}

async function holderOrUndefined(procRoot: string, pid: string, targets: Set<string>): Promise<ProcessHoldingFile | undefined> {
  const fdDir = `${procRoot}/${pid}/fd`;
  let fds: string[];
  try {
    fds = await readdir(fdDir);
  } catch {
    return undefined; // exited, or another user's process
  }
  for (const fd of fds) {
    const target = await readlink(`${fdDir}/${fd}`).catch(() => undefined);
    if (target !== undefined && targets.has(target)) {
      const command = await readFile(`${procRoot}/${pid}/comm`, 'utf8').catch(() => '?');
      return { pid: Number(pid), command: command.trim() };
    }
  }
  return undefined;
}
