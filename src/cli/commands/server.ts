import { DEFAULT_DATA_DIR, DEFAULT_SERVER_PORT, runServerCommand, SERVER_OPTIONS, SERVER_USAGE } from '../../b2-server/cli';
import { DEFAULT_BUCKET, DEFAULT_KEY, DEFAULT_KEY_ID } from '../../b2-server/index';
import type { Command, OptionSpec } from '../command';

/** What --help says of each option the server reads (every one of SERVER_OPTIONS, checked by the type). */
const DESCRIPTIONS: Record<keyof typeof SERVER_OPTIONS, Pick<OptionSpec, 'value' | 'description' | 'default'>> = {
  port: { value: 'N', description: 'port on 127.0.0.1; 0 picks a free one', default: String(DEFAULT_SERVER_PORT) },
  data: { value: 'DIR', description: 'folder holding the buckets and files, kept across restarts', default: `./${DEFAULT_DATA_DIR}` },
  bucket: { value: 'NAME', description: 'bucket to create if missing', default: DEFAULT_BUCKET },
  'key-id': { value: 'ID', description: 'application key id clients must use', default: DEFAULT_KEY_ID },
  key: { value: 'KEY', description: 'application key clients must use', default: DEFAULT_KEY },
  bandwidth: {
    value: 'RATE',
    description: 'simulate a slow link: uploads and downloads of all connections together cross at most RATE, e.g. 10MB/s, 512KiB/s (KB, MB, GB: steps of 1000; KiB, MiB, GiB: 1024)',
    default: 'unlimited',
  },
  'test-control': {
    description: 'serve the test control API under /__b2m_test/ (faults, clock skew, bandwidth, request counts); for automated tests only: any local process can use it',
    default: 'off',
  },
};

export const serverCommand: Command = {
  name: 'server',
  summary: 'run the bundled local B2-compatible server (demos and tests; no cloud account needed)',
  usage: SERVER_USAGE,
  details: 'It prints the environment to give b2m (B2_APPLICATION_KEY_ID, B2_APPLICATION_KEY, B2M_ENDPOINT) and runs until Ctrl+C.',
  options: Object.fromEntries(Object.entries(SERVER_OPTIONS).map(([name, option]) => [name, { ...option, ...DESCRIPTIONS[name as keyof typeof SERVER_OPTIONS] }])),
  async run(_args, io) {
    await runServerCommand(process.argv.slice(process.argv.indexOf('server') + 1), { signal: io.signal, cwd: io.cwd });
  },
};
