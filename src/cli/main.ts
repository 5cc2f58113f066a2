import { createInterface } from 'node:readline/promises';
import { commands } from './commands';
import { helpText, parseCommandArgs, type Command, type CommandIO } from './command';
import { EXIT } from './exit-codes';
import { createOutput, reportError, type Output } from './output';
import { CancelledError } from '../core/errors';
import { TOOL_VERSION } from '../core/tool-version';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'b2m: shared SQLite databases on Backblaze B2, evolved by migrations.',
    '',
    'Usage: b2m <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "b2m <command> --help" for a command\'s options.',
    'Credentials: B2_APPLICATION_KEY_ID and B2_APPLICATION_KEY; B2M_ENDPOINT points at a local B2 server.',
  ].join('\n');
}

/** Resolves "migrations create" style two-word commands, longest match first. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  const two = `${argv[0]} ${argv[1] ?? ''}`;
  const command = commands.find((c) => c.name === two) ?? commands.find((c) => c.name === argv[0]);
  if (!command) return undefined;
  return { command, rest: argv.slice(command.name.split(' ').length) };
}

/**
 * Asks on the terminal with progress paused (the engine may go on meanwhile), so that nothing draws
 * over the question. Ctrl+C, which readline reads as a key, cancels as the signal does; so does the signal.
 * Ctrl+D answers nothing: a "no".
 */
async function confirm(question: string, output: Output, signal: AbortSignal, onInterrupt: () => void): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  if (signal.aborted) throw new CancelledError();
  output.pause();
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  rl.on('SIGINT', onInterrupt);
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `, { signal })).trim());
  } catch (e) {
    if (signal.aborted) throw new CancelledError(); // readline has ended the question's line
    if (!(e instanceof Error && e.name === 'AbortError')) throw e;
    process.stderr.write('\n'); // Ctrl+D: the input ended with no answer, a "no"
    return false;
  } finally {
    rl.close();
    output.resume();
  }
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(`${usage()}\n`);
    return argv.length === 0 ? EXIT.badInput : EXIT.ok;
  }
  if (argv[0] === '--version') {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  const found = findCommand(argv);
  const json = argv.includes('--json');
  const output = createOutput({ json });
  if (!found) {
    process.stderr.write(`error: unknown command "${argv.join(' ')}".\n\n${usage()}\n`);
    return EXIT.badInput;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${helpText(command)}\n`);
    return EXIT.ok;
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.cancelled);
    output.warn('cancelling: cleaning up (locks, temporary files); press Ctrl+C again to quit at once');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: CommandIO = { output, cwd: process.cwd(), env: process.env, signal: controller.signal, confirm: (question) => confirm(question, output, controller.signal, onSignal) };
  try {
    const args = parseCommandArgs(command, rest);
    return (await command.run(args, io)) ?? EXIT.ok;
  } catch (e) {
    return reportError(e, output);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
