import { describeVersion } from '../format';
import { versionLabel } from '../versions/numbering';
import type { CheckOutcome, CheckReport, DatabaseCheck, SchemaNote } from './types';

/** The pieces of a check report worded for people, shared by the plain text and the markdown. */

/** How a name is set in the output: as is in plain text, as code in markdown. */
export type NameStyle = (name: string) => string;

export function warningCount(d: DatabaseCheck): number {
  return d.lintWarnings.length + d.scriptIssues.length;
}

/** e.g. "passed with 2 warnings", "failed", "nothing to check". */
export function verdict(d: DatabaseCheck): string {
  const warnings = warningCount(d);
  const withWarnings = warnings > 0 ? ` with ${plural(warnings, 'warning')}` : '';
  const words: Record<CheckOutcome, string> = { passed: 'passed', 'nothing-to-check': 'nothing to check', failed: 'failed', skipped: 'skipped' };
  return `${words[d.outcome]}${withWarnings}`;
}

/** The verdict of the whole report: the worst of its databases. */
export function overallOutcome(report: CheckReport): CheckOutcome {
  const outcomes = report.databases.map((d) => d.outcome);
  if (outcomes.includes('failed')) return 'failed';
  if (outcomes.includes('passed')) return 'passed';
  return outcomes.includes('nothing-to-check') ? 'nothing-to-check' : 'skipped';
}

/** e.g. "v3 by alice, 2025-01-02 03:04:05 UTC" or "your local file" (for a database checked on something). */
export function sourceLabel(d: DatabaseCheck): string {
  const s = d.source;
  if (s?.kind !== 'head') return 'your local file';
  return describeVersion(s);
}

/** e.g. "the head (v3 by alice, 2025-01-02 03:04:05 UTC)", or "your local file". */
export function sourcePhrase(d: DatabaseCheck): string {
  return d.source?.kind === 'head' ? `the head (${sourceLabel(d)})` : sourceLabel(d);
}

/** What a database with nothing to check has. */
export function nothingToCheck(d: DatabaseCheck): string {
  return d.source?.kind === 'head' ? `the head ${versionLabel(d.source.number)} has every script of this checkout.` : 'your local file has every script of this checkout.';
}

/** e.g. "integrity_check, foreign_key_check and the check script checks/verify.py passed." */
export function verifiedSentence(d: DatabaseCheck, name: NameStyle): string {
  const sqlite = d.verifyMode === 'quick' ? 'PRAGMA quick_check' : 'PRAGMA integrity_check';
  const checks = [name(sqlite), name('PRAGMA foreign_key_check'), ...(d.checkScript ? [`the check script ${name(d.checkScript)}`] : [])];
  return `${checks.slice(0, -1).join(', ')} and ${checks.at(-1)} passed on the result.`;
}

/** e.g. "columns added: email TEXT; indexes added: by_email". */
export function schemaText(notes: readonly SchemaNote[], name: NameStyle): string {
  return notes.map((n) => (n.names.length ? `${n.what}: ${n.names.map(name).join(', ')}` : n.what)).join('; ');
}

export function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}
