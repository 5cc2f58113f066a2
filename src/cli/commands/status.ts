import { resolveDatabase } from '../../core/config';
import { formatTime, shortVersionId } from '../../core/format';
import { databaseStatus, describeStatus, type DatabaseStatus } from '../../core/versions/status';
import { JSON_OPTION, type Command } from '../command';
import { cliContext } from '../engine-context';

export const statusCommand: Command = {
  name: 'status',
  summary: 'show each database: behind, ahead, uncaptured edits, lock owner (read-only)',
  usage: 'b2m status [DB] [--json]',
  options: { ...JSON_OPTION },
  async run(args, io) {
    const ctx = await cliContext(io);
    const databases = args.positionals[0] ? [resolveDatabase(ctx.ws.config, args.positionals[0])] : ctx.ws.config.databases;
    const statuses = await Promise.all(databases.map((db) => databaseStatus(ctx, db)));
    io.output.result(statuses.map(describeInDetail).join('\n'), statuses);
  },
};

function describeInDetail(s: DatabaseStatus): string {
  const lines = [describeStatus(s)];
  if (s.head) lines.push(`  head:    ${shortVersionId(s.head.id)} by ${s.head.author ?? 'unknown'} at ${formatTime(s.head.uploadTimestamp)}`);
  if (s.baseVersionId) lines.push(`  base:    ${shortVersionId(s.baseVersionId)}${s.head?.id === s.baseVersionId ? ' (the head)' : ''}`);
  const where = s.pendingAgainst === 'head' ? '' : ` (not in your ${s.pendingAgainst === 'base' ? 'base' : 'local file'}; the head may have it)`;
  for (const m of s.pending) lines.push(`  pending: ${m.fileName}${where}`);
  for (const name of s.changed) lines.push(`  changed after being applied: ${name}`);
  if (s.lockHolder && s.lock !== 'free') lines.push(`  lock:    ${s.lockHolder.lockId} (${s.lockHolder.owner}@${s.lockHolder.host}, ${s.lockHolder.operation}, expires ${formatTime(s.lockHolder.expires)})`);
  return lines.join('\n');
}
