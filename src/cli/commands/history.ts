import { resolveDatabase } from '../../core/config';
import { formatBytes, formatTime } from '../../core/format';
import { remoteDatabaseName } from '../../core/paths';
import { readLocalState } from '../../core/state/local-state';
import { forkOf, readChain } from '../../core/versions/chain';
import { listDatabaseVersions } from '../../core/versions/history';
import { versionLabel } from '../../core/versions/numbering';
import { JSON_OPTION, type Command } from '../command';
import { cliContext } from '../engine-context';

export const historyCommand: Command = {
  name: 'history',
  summary: 'list the remote versions of a database as a chain, newest first, marking overtaken versions (read-only)',
  usage: 'b2m history [DB] [--json]',
  details: [
    'Versions are numbered v1 (oldest) to vN (newest upload); other commands accept vN or a version id.',
    "Each version names its parent; the head's chain runs back through them. A version not on that chain",
    'was overtaken: another version was built on the same parent, and its migrations are pending again for',
    'its author, whose next sync replays them.',
  ].join('\n'),
  options: { ...JSON_OPTION },
  async run(args, io) {
    const ctx = await cliContext(io);
    const database = resolveDatabase(ctx.ws.config, args.positionals[0]);
    const history = readChain(await listDatabaseVersions(await ctx.store(), remoteDatabaseName(ctx.ws, database), { signal: io.signal }));
    const base = (await readLocalState(ctx.ws)).databases[database]?.baseVersionId;
    const label = (id: string | undefined): string => {
      const v = id ? history.versions.find((x) => x.id === id) : undefined;
      return v ? versionLabel(v.number) : id ? 'a version no longer listed' : '-';
    };
    const entries = history.versions.map((v) => {
      const fork = forkOf(history, v.id);
      return {
        ...v,
        isHead: v.id === history.head?.id,
        isBase: v.id === base,
        onChain: history.chain.has(v.id),
        ...(fork ? { overtaken: { ...(fork.overtakenBy ? { by: fork.overtakenBy.number } : {}), ...(fork.forkPoint ? { forkPoint: fork.forkPoint.number } : {}) } } : {}),
      };
    });
    const lines = entries.map((v) => {
      const marks = [v.isHead ? 'head' : '', v.isBase ? 'your base' : '', v.overtaken ? `overtaken by ${label(history.forks.find((f) => f.overtaken.id === v.id)?.overtakenBy?.id)}` : ''].filter(Boolean).join(', ');
      return [
        `${versionLabel(v.number)}${marks ? ` (${marks})` : ''}  ${formatTime(v.uploadTimestamp)}  ${v.author ?? 'unknown'}  ${formatBytes(v.size)}`,
        `    parent ${label(v.parent)}  newest migration ${v.migration ?? '-'}${v.restoredFrom ? `  restores ${label(v.restoredFrom)}` : ''}`,
      ].join('\n');
    });
    io.output.result(lines.length ? lines.join('\n') : `${database} has no remote versions yet.`, entries);
  },
};
