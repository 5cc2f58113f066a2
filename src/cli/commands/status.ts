import { resolveDatabase } from '../../core/config';
import { describeVersion, formatClock, formatTime } from '../../core/format';
import type { VersionRef } from '../../core/versions/history-summary';
import { versionLabel } from '../../core/versions/numbering';
import { describeStatus, workspaceStatus, type DatabaseStatus } from '../../core/versions/status';
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
    const entries = await workspaceStatus(ctx, databases);
    const failed = entries.find((e) => !e.status);
    if (failed) throw failed.error;
    const statuses = entries.flatMap((e) => (e.status ? [e.status] : []));
    io.output.result(statuses.map(describeInDetail).join('\n'), statuses);
  },
};

function describeInDetail(s: DatabaseStatus): string {
  const lines = [describeStatus(s)];
  if (s.head) lines.push(`  head:    ${describeVersion(s.head)}`);
  if (s.baseVersionId) {
    const base = s.head?.id === s.baseVersionId ? 'the head' : s.base ? describeVersion(s.base) : 'a version the history no longer lists';
    lines.push(`  base:    ${base}${s.baseOvertaken ? ` (overtaken by ${describeRef(s.baseOvertaken.by)}: its migrations the head lacks are pending again)` : ''}`);
  }
  const where = s.pendingAgainst === 'head' ? '' : ` (not in your ${s.pendingAgainst === 'base' ? 'base' : 'local file'}; the head may have it)`;
  for (const m of s.pending) lines.push(`  pending: ${m.fileName}${where}`);
  for (const issue of s.scriptIssues) lines.push(`  warning: ${issue.message} ${issue.hint}`);
  for (const f of s.forks) {
    const carried = f.migrationsLost.length > 0 ? `; it carried ${f.migrationsLost.join(', ')}, which the head lacks` : '';
    lines.push(`  fork:    ${describeRef(f.version)} (built on ${f.forkPoint ? versionLabel(f.forkPoint.number) : 'the same parent'}) was overtaken by ${describeRef(f.by)}${carried}`);
  }
  const holder = s.lockHolder;
  if (holder && s.lock !== 'free') {
    const lease = s.lock === 'stale' ? `lease ran out ${formatTime(holder.expires)} (the next sync clears it)` : `lease until ${formatClock(holder.expires)}`;
    lines.push(`  lock:    ${holder.owner}@${holder.host} (${holder.operation}) since ${formatTime(holder.since)}, ${lease}; lock id ${holder.lockId}`);
  }
  return lines.join('\n');
}

function describeRef(v: VersionRef | undefined): string {
  return v ? describeVersion(v) : 'a newer version';
}
