import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { findWorkspaceRoot, resolveDatabase } from '../../core/config';
import { diffDatabases, formatSummary } from '../../core/diff';
import { BadInputError } from '../../core/errors';
import { localDatabasePath, remoteDatabaseName } from '../../core/paths';
import { readLocalState } from '../../core/state/local-state';
import { findVersion } from '../../core/sync/download';
import { ensureSnapshot } from '../../core/sync/snapshots';
import { baseVersionOf } from '../../core/sync/sync';
import { readHead } from '../../core/versions/history';
import { JSON_OPTION, requirePositional, type Command, type CommandIO } from '../command';
import { cliContext } from '../engine-context';

export const diffCommand: Command = {
  name: 'diff',
  summary: 'show the SQL that turns database A into B (like sqldiff --primarykey)',
  usage: 'b2m diff A B [--sql | --summary | --json] [--table T]... [--include-b2m]',
  details: [
    'A and B are SQLite files, or DB@REF with REF one of: local, base, head, vN, a version id',
    '(e.g. "b2m diff app@base app@local" shows your uncaptured edits).',
  ].join('\n'),
  options: {
    ...JSON_OPTION,
    sql: { type: 'boolean', default: false },
    summary: { type: 'boolean', default: false },
    table: { type: 'string', multiple: true },
    'include-b2m': { type: 'boolean', default: false },
  },
  async run(args, io) {
    const a = await resolveSide(requirePositional(args, 0, 'database A', diffCommand), io);
    const b = await resolveSide(requirePositional(args, 1, 'database B', diffCommand), io);
    const tables = args.values.table as string[] | undefined;
    const summaryOnly = args.values.summary === true;
    const diff = await diffDatabases(a.path, b.path, {
      signal: io.signal,
      labels: { a: a.label, b: b.label },
      includeB2mTable: args.values['include-b2m'] === true,
      summaryOnly,
      onProgress: (e) => io.output.progress(e),
      ...(tables ? { tables } : {}),
    });
    io.output.result(summaryOnly ? formatSummary(diff) : diff.sql, diff);
  },
};

async function resolveSide(arg: string, io: CommandIO): Promise<{ path: string; label: string }> {
  const asFile = resolve(io.cwd, arg);
  if (existsSync(asFile)) return { path: asFile, label: arg };
  const at = arg.lastIndexOf('@');
  if (at <= 0 || !findWorkspaceRoot(io.cwd)) throw new BadInputError(`"${arg}" is neither a file nor DB@REF.`, 'Give a SQLite file, or e.g. app@head, app@base, app@local, app@v3.');
  const ctx = await cliContext(io);
  const { ws } = ctx;
  const database = resolveDatabase(ws.config, arg.slice(0, at));
  const ref = arg.slice(at + 1);
  if (ref === 'local') return { path: localDatabasePath(ws, database), label: arg };
  if (ref === 'base') {
    const state = (await readLocalState(ws)).databases[database];
    if (!state) throw new BadInputError(`${database} has no base yet.`, `Run "b2m download ${database}".`);
    return { path: await ensureSnapshot(ctx, baseVersionOf(ctx, database, state)), label: arg };
  }
  const remoteName = remoteDatabaseName(ws, database);
  const version = ref === 'head' ? await readHead(await ctx.store(), remoteName, io.signal) : await findVersion(ctx, remoteName, ref);
  if (!version) throw new BadInputError(`${database} has no remote version yet.`);
  return { path: await ensureSnapshot(ctx, version), label: arg };
}
