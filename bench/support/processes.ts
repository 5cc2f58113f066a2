import { spawn, spawnSync } from 'node:child_process';

export interface TimedRun {
  /** Wall time of the whole process, start-up included. */
  ms: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end and times it; a non-zero exit is an error carrying its output. */
export function runTimed(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ ms, stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}${stdout.slice(-2000)}`));
    });
  });
}

/**
 * Writes every dirty page to disk, so that no contender pays for the writeback of what the one
 * before it wrote (b2m fsyncs the files it installs; rclone does not).
 */
export function flushDirtyPages(): void {
  spawnSync('sync');
}
