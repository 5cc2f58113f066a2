import { resolveDatabase } from '../../core/config';
import { formatBytes, formatTime } from '../../core/format';
import { remoteDatabaseName } from '../../core/paths';
import { readLocalState } from '../../core/state/local-state';
import { listDatabaseVersions } from '../../core/versions/history';
import { numberVersions, versionLabel } from '../../core/versions/numbering';
import { JSON_OPTION, type Command } from '../command';
import { cliContext } from '../engine-context';

export const historyCommand: Command = {
  name: 'history',
  summary: 'list the remote versions of a database, newest first (read-only)',
  usage: 'b2m history [DB] [--json]',
  details: 'Versions are numbered v1 (oldest) to vN (the head); other commands accept vN or a version id.',
  options: { ...JSON_OPTION },
  async run(args, io) {
    const ctx = await cliContext(io);
    const database = resolveDatabase(ctx.ws.config, args.positionals[0]);
    const versions = await listDatabaseVersions(await ctx.store(), remoteDatabaseName(ctx.ws, database), { signal: io.signal });
    const base = (await readLocalState(ctx.ws)).databases[database]?.baseVersionId;
    const numbered = numberVersions(versions).map(({ version: v, number }, i) => ({ number, ...v, isHead: i === 0, isBase: v.id === base }));
    const index = new Map(numbered.map((v) => [v.id, versionLabel(v.number)]));
    const lines = numbered.map((v) => {
      const marks = [v.isHead ? 'head' : '', v.isBase ? 'your base' : ''].filter(Boolean).join(', ');
      const parent = v.parent ? (index.get(v.parent) ?? v.parent) : '-';
      return [
        `${versionLabel(v.number)}${marks ? ` (${marks})` : ''}  ${formatTime(v.uploadTimestamp)}  ${v.author ?? 'unknown'}  ${formatBytes(v.size)}`,
        `    id ${v.id}  parent ${parent}  newest migration ${v.migration ?? '-'}${v.restoredFrom ? `  restores ${index.get(v.restoredFrom) ?? v.restoredFrom}` : ''}`,
      ].join('\n');
    });
    io.output.result(lines.length ? lines.join('\n') : `${database} has no remote versions yet.`, numbered);
  },
};
