import { runServerCommand, SERVER_OPTION_HELP, SERVER_OPTIONS, SERVER_USAGE } from '../../b2-server/cli';
import type { Command } from '../command';

export const serverCommand: Command = {
  name: 'server',
  summary: 'run the bundled local B2-compatible server (demos and tests; no cloud account needed)',
  usage: SERVER_USAGE,
  details: `What the options do:\n${SERVER_OPTION_HELP}`,
  options: SERVER_OPTIONS,
  async run(_args, io) {
    await runServerCommand(process.argv.slice(process.argv.indexOf('server') + 1), { signal: io.signal, cwd: io.cwd });
  },
};
