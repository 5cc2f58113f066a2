import { databaseKey, resolveDatabase, type B2mConfig } from '../core/config';
import { BadInputError } from '../core/errors';
import type { Command, ParsedArgs } from './command';

/**
 * Reads `DB PHRASE...` where DB may be left out in a workspace of one database (or given with
 * --db): a first word that names a configured database (file name or key) is the database, never
 * the start of the phrase.
 */
export function databaseAndPhrase(config: B2mConfig, args: readonly string[], command: string, dbOption?: string): { database: string; phrase: string } {
  // Words, not arguments: a quoted "app add users" starts with the database too.
  const words = args.flatMap((arg) => arg.split(/\s+/)).filter(Boolean);
  const [first, ...rest] = words;
  const named = first === undefined ? undefined : config.databases.find((d) => d === first || databaseKey(d) === first);
  if (named && dbOption !== undefined) {
    throw new BadInputError(
      `Both --db ${dbOption} and the first word "${first}" name a database.`,
      `Name the database once: "b2m ${command} ${first} PHRASE" or "b2m ${command} PHRASE --db ${dbOption}", with a phrase that does not start with a database's name.`,
    );
  }
  if (!named && dbOption === undefined && config.databases.length > 1) {
    throw new BadInputError(
      `Which database is it for? This workspace has ${config.databases.join(', ')}, and "${first ?? ''}" names none of them.`,
      `Name it first: "b2m ${command} ${databaseKey(config.databases[0]!)} PHRASE".`,
    );
  }
  const database = named ?? resolveDatabase(config, dbOption);
  const phrase = (named ? rest : words).join(' ');
  if (!phrase.trim()) throw new BadInputError(`Missing a phrase naming the change, e.g. "add users email".`, `Usage: b2m ${command} [DB] PHRASE...`);
  return { database, phrase };
}

/**
 * Reads `[DB] ARG` (a lock id, a version) where DB may be left out in a workspace of one database:
 * one argument alone is ARG, unless it names a configured database, in which case ARG is missing.
 */
export function databaseAndArgument(config: B2mConfig, args: ParsedArgs, what: string, command: Command): { database: string; argument: string } {
  const [first, second] = args.positionals;
  if (second !== undefined) return { database: resolveDatabase(config, first), argument: second };
  if (first === undefined || config.databases.some((d) => d === first || databaseKey(d) === first)) {
    throw new BadInputError(`Missing ${what}.`, `Usage: ${command.usage}`);
  }
  return { database: resolveDatabase(config, undefined), argument: first };
}
