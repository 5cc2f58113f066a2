import { runServerCommand, SERVER_OPTIONS } from '../../b2-server/cli';
import type { Command } from '../command';

export const serverCommand: Command = {
  name: 'server',
  summary: 'run the bundled local B2-compatible server (demos and tests; no cloud account needed)',
  usage: 'b2m server [--port N] [--data DIR] [--bucket NAME]... [--key-id ID] [--key KEY]',
  options: SERVER_OPTIONS,
  async run(_args, io) {
    await runServerCommand(process.argv.slice(process.argv.indexOf('server') + 1), { signal: io.signal, cwd: io.cwd });
  },
};
