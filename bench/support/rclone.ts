// rclone (Debian's) pointed at the local B2 server, with its default transfer settings.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTimed } from './processes';
import type { ServerProcess } from './server-process';

export interface Rclone {
  /** `local:<bucket>/<name>`, the remote form of a name in the bucket. */
  remote(name: string): string;
  /** Times `rclone copyto FROM TO` as a whole process (start-up included); milliseconds. */
  copy(from: string, to: string): Promise<number>;
  /** Deletes every version of a name in the bucket. */
  remove(name: string): Promise<void>;
  close(): void;
}

export function rcloneFor(server: ServerProcess): Rclone {
  const dir = mkdtempSync(join(tmpdir(), 'b2m-bench-rclone-'));
  const config = join(dir, 'rclone.conf');
  writeFileSync(config, '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RCLONE_CONFIG: config,
    RCLONE_CONFIG_LOCAL_TYPE: 'b2',
    RCLONE_CONFIG_LOCAL_ACCOUNT: server.keyId,
    RCLONE_CONFIG_LOCAL_KEY: server.key,
    RCLONE_CONFIG_LOCAL_ENDPOINT: server.endpoint,
  };
  const remote = (name: string): string => `local:${server.bucket}/${name}`;
  return {
    remote,
    // --ignore-times: always copy, even when a file of the same size and time is already there.
    copy: async (from, to) => (await runTimed('rclone', ['copyto', from, to, '--ignore-times'], { env })).ms,
    remove: async (name) => {
      await runTimed('rclone', ['deletefile', remote(name), '--b2-hard-delete'], { env });
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
