import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BadInputError } from '../core/errors';
import type { Output } from './output';

/** One `b2m` sub-command: its help text, its options and what it does. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Extra help lines after the usage. */
  details?: string;
  options: NonNullable<ParseArgsConfig['options']>;
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

export const JSON_OPTION = { json: { type: 'boolean' as const, default: false } };

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: command.options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    throw new BadInputError((e as Error).message, `See "b2m ${command.name} --help".`);
  }
}

export function helpText(command: Command): string {
  const options = Object.entries(command.options)
    .filter(([name]) => name !== 'help')
    .map(([name, o]) => `  --${name}${o.type === 'string' ? ' VALUE' : ''}${o.multiple ? ' (repeatable)' : ''}`);
  return [
    `b2m ${command.name}: ${command.summary}`,
    '',
    `Usage: ${command.usage}`,
    ...(command.details ? ['', command.details] : []),
    ...(options.length ? ['', 'Options:', ...options, '  --help'] : ['', 'Options:', '  --help']),
  ].join('\n');
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
