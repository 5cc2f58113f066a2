import * as vscode from 'vscode';
import { formatBytes } from '../../core/format';
import { versionLabel } from '../../core/versions/numbering';
import { describeStatus, joinStatusFacts, statusFacts, SYNC_LABELS, type DatabaseStatus } from '../../core/versions/status';
import { clock, clockWithZone, timeWithZone } from '../time-format';
import { describeOvertaken } from './fork-text';
import type { DatabaseEntry } from './status-model';

/** How one database's state looks: a short line, a codicon, and whether it needs attention. */
export interface StatusLook {
  icon: string;
  /** Everything at a glance, for the status bar, e.g. "locked by carol until 14:02 · 2 to push". */
  summary: string;
  /** The same facts, short and most important first, for a tree row to take as many as fit. */
  facts: string[];
  /** A colour for the icon in trees and the background in the status bar. */
  severity: 'ok' | 'info' | 'warning' | 'error';
}

export const RESTRICTED_SUMMARY = 'Restricted Mode';

export function statusLook(entry: DatabaseEntry): StatusLook {
  const plain = (icon: string, summary: string, severity: StatusLook['severity']): StatusLook => ({ icon, summary, facts: [summary], severity });
  if (entry.activity) return plain('sync~spin', `${entry.activity}…`, 'info');
  if (entry.restricted) return plain('shield', RESTRICTED_SUMMARY, 'info');
  const status = entry.status;
  if (!status) return entry.error ? plain('warning', 'status unknown', 'error') : plain('loading~spin', 'reading status…', 'info');
  const facts = statusFacts(status);
  if (entry.error) facts.push({ text: 'may be outdated' });
  return { icon: iconOf(status), summary: joinStatusFacts(facts, clock), facts: facts.map((fact) => fact.text), severity: severityOf(status, entry.error !== undefined) };
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
  if (status.lock === 'locked-by-other' || status.uncaptured || status.sync === 'diverged' || status.baseOvertaken) return 'warning';
  if (status.sync === 'up-to-date' && status.lock !== 'stale') return 'ok';
  return 'info';
}

/** "v7", when the version's number is known. */
export type VersionNumberLookup = (versionId: string) => string | undefined;

/** Hover text of a database: everything the status says, as Markdown; versions by number, full ids in code spans. */
export function statusTooltip(entry: DatabaseEntry, refreshedAt: Date | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMarkdown(entry.database)}** — ${escapeMarkdown(statusLook(entry).summary)}\n\n`);
  if (entry.restricted) appendRestricted(md, entry.restricted);
  const status = entry.status;
  const version = (id: string, number: number | undefined): string => (number === undefined ? codeSpan(id) : `${versionLabel(number)} (${codeSpan(id)})`);
  if (status) {
    if (status.sync !== 'up-to-date') md.appendMarkdown(`${escapeMarkdown(SYNC_LABELS[status.sync](status))}\n\n`);
    if (status.head) md.appendMarkdown(`- Head: ${version(status.head.id, status.head.number)} by ${escapeMarkdown(status.head.author ?? 'unknown')}, ${escapeMarkdown(timeWithZone(status.head.uploadTimestamp))}\n`);
    if (status.baseVersionId) {
      const base = status.head?.id === status.baseVersionId ? 'the head' : version(status.baseVersionId, status.base?.id === status.baseVersionId ? status.base.number : undefined);
      md.appendMarkdown(`- Your base: ${base}\n`);
    }
    if (status.pending.length > 0) md.appendMarkdown(`- Pending migrations: ${status.pending.map((m) => codeSpan(m.fileName)).join(', ')}\n`);
    for (const issue of status.scriptIssues) md.appendMarkdown(`- $(warning) ${escapeMarkdown(issue.message)}\n`);
    if (status.baseOvertaken) md.appendMarkdown(`- ${escapeMarkdown(describeOvertaken(status.baseOvertaken, true))}\n`);
    for (const fork of status.forks.filter((f) => f.version.id !== status.baseOvertaken?.version.id)) {
      md.appendMarkdown(`- ${escapeMarkdown(describeOvertaken(fork, false))}\n`);
    }
    if (status.uncaptured) md.appendMarkdown(`- Local edits no migration explains: capture them before syncing\n`);
    const holder = status.lockHolder;
    if (holder && status.lock !== 'free') {
      const who = status.lock === 'locked-by-me' ? 'you' : `${holder.owner}@${holder.host}`;
      const what = status.lock === 'stale' ? 'Stale lock (expired) of' : 'Locked by';
      md.appendMarkdown(`- ${what} ${escapeMarkdown(who)} (${escapeMarkdown(holder.operation)}) since ${escapeMarkdown(timeWithZone(holder.since))}, lease until ${escapeMarkdown(timeWithZone(holder.expires))}\n`);
    }
  }
  if (entry.error) md.appendMarkdown(`\n$(warning) Could not read the status: ${escapeMarkdown(entry.error instanceof Error ? entry.error.message : String(entry.error))}\n`);
  if (refreshedAt) md.appendMarkdown(`\n_Checked ${escapeMarkdown(clockWithZone(refreshedAt.getTime()))}_`);
  return md;
}

function appendRestricted(md: vscode.MarkdownString, facts: NonNullable<DatabaseEntry['restricted']>): void {
  md.appendMarkdown('This workspace is not trusted, so b2m runs no Python and does not contact the bucket: its status is not known. Trust the workspace to see it and to sync.\n\n');
  md.appendMarkdown(facts.file ? `- Local file: ${escapeMarkdown(formatBytes(facts.file.size))}, changed ${escapeMarkdown(timeWithZone(facts.file.modifiedMs))}\n` : '- No local file yet\n');
  md.appendMarkdown(`- Migration scripts in its folder: ${facts.scripts}\n`);
}

/** The engine's one-line description, for logs and accessibility labels. */
export function statusLine(entry: DatabaseEntry): string {
  return entry.status ? describeStatus(entry.status) : `${entry.database}: ${statusLook(entry).summary}`;
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, '\\$&');
}

/** A code span that holds any text: no backtick in it closes the span (and backslash escapes do not work in one). */
export function codeSpan(text: string): string {
  const body = text.replace(/\r\n?|\n/g, ' ');
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}
