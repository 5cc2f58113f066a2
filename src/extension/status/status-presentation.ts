import * as vscode from 'vscode';
import { formatTime, shortVersionId } from '../../core/format';
import { describeStatus, SYNC_LABELS, type DatabaseStatus } from '../../core/versions/status';
import type { DatabaseEntry } from './status-model';

/** How one database's state looks: a short line, a codicon, and whether it needs attention. */
export interface StatusLook {
  icon: string;
  /** e.g. "2 to push · locked by carol until 14:02". */
  summary: string;
  /** A colour for the icon in trees and the background in the status bar. */
  severity: 'ok' | 'info' | 'warning' | 'error';
}

export function statusLook(entry: DatabaseEntry): StatusLook {
  if (entry.activity) return { icon: 'sync~spin', summary: `${entry.activity}…`, severity: 'info' };
  const status = entry.status;
  if (!status) {
    return entry.error ? { icon: 'warning', summary: 'status unknown', severity: 'error' } : { icon: 'loading~spin', summary: 'reading status…', severity: 'info' };
  }
  const parts = [syncSummary(status)];
  if (status.uncaptured) parts.push('uncaptured edits');
  if (status.changed.length > 0) parts.push(`${status.changed.length} changed after applied`);
  const holder = status.lockHolder;
  if (status.lock === 'locked-by-other' && holder) parts.unshift(`locked by ${holder.owner} until ${clock(holder.expires)}`);
  if (status.lock === 'locked-by-me') parts.unshift('locked by you');
  if (status.lock === 'stale' && holder) parts.push(`stale lock of ${holder.owner}`);
  if (entry.error) parts.push('status may be outdated');
  return { icon: iconOf(status), summary: parts.join(' · '), severity: severityOf(status, entry.error !== undefined) };
}

function syncSummary(status: DatabaseStatus): string {
  const pending = status.pending.length;
  switch (status.sync) {
    case 'up-to-date':
      return 'up to date';
    case 'ahead':
      return `${pending} to push`;
    case 'behind':
      return 'behind';
    case 'diverged':
      return `behind, ${pending} to push`;
    case 'not-downloaded':
      return 'not downloaded';
    case 'only-local':
      return 'only local';
    case 'missing':
      return 'no file yet';
  }
}

function iconOf(status: DatabaseStatus): string {
  if (status.lock === 'locked-by-other') return 'lock';
  if (status.lock === 'locked-by-me') return 'unlock';
  if (status.uncaptured) return 'edit';
  switch (status.sync) {
    case 'up-to-date':
      return 'check';
    case 'ahead':
    case 'only-local':
      return 'cloud-upload';
    case 'behind':
    case 'not-downloaded':
      return 'cloud-download';
    case 'diverged':
      return 'git-compare';
    case 'missing':
      return 'circle-slash';
  }
}

function severityOf(status: DatabaseStatus, failed: boolean): StatusLook['severity'] {
  if (failed) return 'error';
  if (status.lock === 'locked-by-other' || status.uncaptured || status.sync === 'diverged') return 'warning';
  if (status.sync === 'up-to-date' && status.lock !== 'stale') return 'ok';
  return 'info';
}

/** Hover text of a database: everything the status says, as Markdown. */
export function statusTooltip(entry: DatabaseEntry, refreshedAt: Date | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(entry.database)}** — ${escape(statusLook(entry).summary)}\n\n`);
  const status = entry.status;
  if (status) {
    if (status.sync !== 'up-to-date') md.appendMarkdown(`${escape(SYNC_LABELS[status.sync](status))}\n\n`);
    if (status.head) md.appendMarkdown(`- Head: ${escape(shortVersionId(status.head.id))} by ${escape(status.head.author ?? 'unknown')}, ${escape(formatTime(status.head.uploadTimestamp))}\n`);
    if (status.baseVersionId) md.appendMarkdown(`- Your base: ${escape(shortVersionId(status.baseVersionId))}${status.head?.id === status.baseVersionId ? ' (the head)' : ''}\n`);
    if (status.pending.length > 0) md.appendMarkdown(`- Pending migrations: ${status.pending.map((m) => `\`${escape(m.fileName)}\``).join(', ')}\n`);
    if (status.changed.length > 0) md.appendMarkdown(`- Changed after being applied: ${status.changed.map((name) => `\`${escape(name)}\``).join(', ')}\n`);
    if (status.uncaptured) md.appendMarkdown(`- Local edits no migration explains: capture them before syncing\n`);
    const holder = status.lockHolder;
    if (holder && status.lock !== 'free') {
      const who = status.lock === 'locked-by-me' ? 'you' : `${holder.owner}@${holder.host}`;
      const what = status.lock === 'stale' ? 'Stale lock (expired) of' : 'Locked by';
      md.appendMarkdown(`- ${what} ${escape(who)} (${escape(holder.operation)}) since ${escape(formatTime(holder.since))}, lease until ${escape(formatTime(holder.expires))}\n`);
    }
  }
  if (entry.error) md.appendMarkdown(`\n$(warning) Could not read the status: ${escape(entry.error instanceof Error ? entry.error.message : String(entry.error))}\n`);
  if (refreshedAt) md.appendMarkdown(`\n_Checked ${escape(refreshedAt.toLocaleTimeString())}_`);
  return md;
}

/** The engine's one-line description, for logs and accessibility labels. */
export function statusLine(entry: DatabaseEntry): string {
  return entry.status ? describeStatus(entry.status) : `${entry.database}: ${statusLook(entry).summary}`;
}

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, '\\$&');
}
