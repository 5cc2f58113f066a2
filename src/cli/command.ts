import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BadInputError } from '../core/errors';
import type { Output } from './output';

/** One option of a command: how it is read, and how --help describes it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** The value's name in --help, e.g. "SECONDS" (string options). */
  value?: string;
  /** What the option does. */
  description: string;
  /** What happens without it, in words: "do not wait", "the head". */
  default: string;
}

/** One `b2m` sub-command: its help text, its options and what it does. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Extra help lines after the usage. */
  details?: string;
  options: Record<string, OptionSpec>;
  run(args: ParsedArgs, io: CommandIO): Promise<number | void>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface CommandIO {
  output: Output;
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Asks a yes/no question on the terminal; false when there is no terminal. */
  confirm(question: string): Promise<boolean>;
}

export const JSON_OPTION: Record<'json', OptionSpec> = {
  json: { type: 'boolean', description: 'print the result as JSON on stdout, and an error as JSON on stderr', default: 'text for people' },
};

/** For commands that take a lock; read with `numberOption(args, 'wait')`. */
export const WAIT_OPTION: Record<'wait', OptionSpec> = {
  wait: { type: 'string', value: 'SECONDS', description: 'wait up to this long for a lock someone else holds', default: 'exit 3 at once' },
};

const HELP_WIDTH = 100;

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  const options: ParseArgsConfig['options'] = Object.fromEntries(
    Object.entries(command.options).map(([name, o]) => [name, { type: o.type, ...(o.multiple ? { multiple: true } : {}) }]),
  );
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    throw new BadInputError((e as Error).message, `See "b2m ${command.name} --help".`);
  }
}

export function helpText(command: Command): string {
  const rows = [
    ...Object.entries(command.options).map(([name, o]) => ({
      flag: `--${name}${o.value ? ` ${o.value}` : ''}`,
      text: `${o.description}${o.multiple ? '; repeatable' : ''}. Default: ${o.default}.`,
    })),
    { flag: '--help', text: 'show this help.' },
  ];
  const width = Math.max(...rows.map((row) => row.flag.length)) + 2;
  return [
    `b2m ${command.name}: ${command.summary}`,
    '',
    `Usage: ${command.usage}`,
    ...(command.details ? ['', command.details] : []),
    '',
    'Options:',
    ...rows.map((row) => wrap(`  ${row.flag.padEnd(width)}${row.text}`, width + 2)),
  ].join('\n');
}

/** Breaks a line at spaces to fit HELP_WIDTH, indenting the lines after the first. */
function wrap(line: string, indent: number): string {
  const lines: string[] = [];
  let rest = line;
  while (rest.length > HELP_WIDTH) {
    const cut = rest.lastIndexOf(' ', HELP_WIDTH);
    if (cut <= indent) break;
    lines.push(rest.slice(0, cut));
    rest = `${' '.repeat(indent)}${rest.slice(cut + 1)}`;
  }
  return [...lines, rest].join('\n');
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function numberOption(args: ParsedArgs, name: string): number | undefined {
  const v = stringOption(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new BadInputError(`--${name} must be a non-negative number, got "${v}".`);
  return n;
}

export function requirePositional(args: ParsedArgs, index: number, what: string, command: Command): string {
  const v = args.positionals[index];
  if (v === undefined) throw new BadInputError(`Missing ${what}.`, `Usage: ${command.usage}`);
  return v;
}
