import { readFileSync, readlinkSync } from 'node:fs';

/**
 * What pins a process down on one machine (Linux): the kernel's boot id, the PID namespace, the
 * pid, and the process's start time in clock ticks since boot. Host and user names prove nothing
 * (containers and cloned machines share them), and a pid alone can be reused.
 */
export interface ProcessFacts {
  boot: string;
  pidNamespace: string;
  pid: number;
  startTicks: string;
}

/** This process's facts, or undefined where /proc does not tell them (not Linux). */
export function ownProcessFacts(): ProcessFacts | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const pidNamespace = readlinkSync('/proc/self/ns/pid').replace(/^pid:\[(\d+)\]$/, '$1');
    const startTicks = startTicksOf(process.pid);
    if (!boot || !/^\d+$/.test(pidNamespace) || !startTicks) return undefined;
    return { boot, pidNamespace, pid: process.pid, startTicks };
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat, or undefined when no such process runs (in this PID namespace). */
export function startTicksOf(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19]; // field 22 overall: fields 3.. start at index 0
}

export function encodeProcessFacts(f: ProcessFacts): string {
  return `${f.boot}/${f.pidNamespace}/${f.pid}/${f.startTicks}`;
}

export function decodeProcessFacts(text: string | undefined): ProcessFacts | undefined {
  const match = /^([0-9a-f-]{8,64})\/(\d+)\/(\d+)\/(\d+)$/.exec(text ?? '');
  if (!match) return undefined;
  return { boot: match[1] as string, pidNamespace: match[2] as string, pid: Number(match[3]), startTicks: match[4] as string };
}

/**
 * True only when the facts prove that the holder's process no longer runs: it ran under this very
 * kernel boot and PID namespace, and its pid is now free or belongs to a process started at
 * another time. Anything less (another machine, another container, facts missing) proves nothing.
 */
export function isProvablyGone(holder: ProcessFacts | undefined, own: ProcessFacts | undefined, startTicks: (pid: number) => string | undefined = startTicksOf): boolean {
  if (!holder || !own) return false;
  if (holder.boot !== own.boot || holder.pidNamespace !== own.pidNamespace) return false;
  if (holder.pid === own.pid && holder.startTicks === own.startTicks) return false;
  return startTicks(holder.pid) !== holder.startTicks;
}
