// Stand-alone entry of the local B2 server: `node --import tsx src/b2-server/main.ts [options]`,
// the same as `b2m server [options]`.
import { isB2mError } from '../core/errors';
import { runServerCommand } from './cli';

runServerCommand(process.argv.slice(2)).catch((error: unknown) => {
  if (isB2mError(error)) {
    process.stderr.write(`error: ${error.message}${error.hint ? `\n${error.hint}` : ''}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
});
