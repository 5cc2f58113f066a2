import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { findWorkspaceRoot } from '../../core/config';
import type { EngineContext } from '../../core/context';
import { diffDatabases, formatSummary, hasDifferences } from '../../core/diff';
import { BadInputError } from '../../core/errors';
import { b2mDir } from '../../core/paths';
import { parseDatabaseRef, resolveDatabaseRef, type ResolvedRef } from '../../core/versions/database-ref';
import { JSON_OPTION, requirePositional, type Command, type CommandIO } from '../command';
import { cliContext } from '../engine-context';

export const diffCommand: Command = {
  name: 'diff',
  summary: 'show the SQL that turns database A into B (like sqldiff --primarykey)',
  usage: 'b2m diff A B [--sql | --summary | --json] [--table TABLE]... [--include-b2m]',
  details: [
    'A and B are SQLite files, or DB@REF with REF one of: local, base, head, vN, a version id',
    '(e.g. "b2m diff app@base app@local" shows your uncaptured edits). In a workspace with one',
    'database, REF alone will do: "b2m diff v1 v3". --sql prints only SQL (nothing when A and B',
    'are identical).',
  ].join('\n'),
  options: {
    ...JSON_OPTION,
    sql: { type: 'boolean', description: 'print only SQL: nothing when A and B are identical (the sentence goes to stderr)', default: 'the SQL, or a sentence when A and B are identical' },
    summary: { type: 'boolean', description: 'print one line per table (changes, inserts, deletes, schema changes) instead of SQL', default: 'the SQL' },
    table: { type: 'string', value: 'TABLE', multiple: true, description: 'compare only this table', default: 'every table' },
    'include-b2m': { type: 'boolean', description: "compare b2m's own table of applied migrations (_b2m_migrations) too", default: 'left out' },
  },
  async run(args, io) {
    const sides = new Sides(io);
    const a = await sides.resolve(requirePositional(args, 0, 'database A', diffCommand));
    const b = await sides.resolve(requirePositional(args, 1, 'database B', diffCommand));
    const tables = args.values.table as string[] | undefined;
    const summaryOnly = args.values.summary === true;
    const ctx = sides.context;
    const scratchDir = ctx && join(b2mDir(ctx.ws), 'tmp');
    if (scratchDir) await mkdir(scratchDir, { recursive: true });
    const diff = await diffDatabases(a.path, b.path, {
      signal: io.signal,
      labels: { a: a.label, b: b.label },
      includeB2mTable: args.values['include-b2m'] === true,
      summaryOnly,
      onProgress: (e) => io.output.progress(e),
      ...(tables ? { tables } : {}),
      ...(ctx ? { python: ctx.ws.config.python, scratchDir } : {}),
    });
    const identical = !hasDifferences(diff);
    if (identical) {
      const sentence = `${a.label} and ${b.label} are identical${tables ? ' in the tables compared' : ''}.`;
      if (args.values.sql === true) io.output.info(sentence);
      io.output.result(args.values.sql === true ? '' : sentence, { ...diff, identical });
      return;
    }
    io.output.result(summaryOnly ? formatSummary(diff) : diff.sql, { ...diff, identical });
  },
};

/** Turns the command's arguments into files to compare, each with a label for people. */
class Sides {
  private ctx: EngineContext | undefined;

  constructor(private readonly io: CommandIO) {}

  /** The workspace context, once a DB@REF needed it. */
  get context(): EngineContext | undefined {
    return this.ctx;
  }

  async resolve(arg: string): Promise<ResolvedRef> {
    const asFile = resolve(this.io.cwd, arg);
    if (existsSync(asFile)) return { path: asFile, label: arg };
    if (!findWorkspaceRoot(this.io.cwd)) {
      throw new BadInputError(`"${arg}" is neither a file nor DB@REF (and ${this.io.cwd} is not in a b2m workspace).`, 'Give a SQLite file, or run b2m inside a workspace with e.g. app@head, app@base, app@local, app@v3.');
    }
    this.ctx ??= await cliContext(this.io);
    const { database, ref } = parseDatabaseRef(this.ctx.ws.config, arg);
    return resolveDatabaseRef(this.ctx, database, ref);
  }
}
