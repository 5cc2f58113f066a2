import { nothingToCheck, overallOutcome, plural, schemaText, sourceLabel, sourcePhrase, verdict, verifiedSentence, warningCount } from './describe';
import type { CheckReport, DatabaseCheck, SampleRow, TableChange } from './types';

/** The first line of every report: lets a CI job find its earlier comment on a pull request and update it. */
export const MARKDOWN_MARKER = '<!-- b2m-check -->';

const CHANGE_WORDS: Record<SampleRow['change'], string> = { insert: 'inserted', update: 'updated', delete: 'deleted' };

/**
 * The report as GitHub markdown (for a pull-request comment): a summary table, then per database
 * the scripts run, the checks passed, the changes per table, the warnings, and the first rows of
 * each change in a collapsible block. Every name and value from the database is escaped.
 */
export function formatCheckMarkdown(report: CheckReport): string {
  const blocks = [
    `${MARKDOWN_MARKER}\n## b2m check: ${title(report)}`,
    table(
      ['database', 'checked on', 'scripts', 'result'],
      report.databases.map((d) => [code(d.database, true), d.source ? text(sourceLabel(d)) : '—', String(d.outcome === 'nothing-to-check' ? 0 : d.scripts.length), `${symbol(d)} ${verdict(d)}`]),
      [false, false, true, false],
    ),
    ...report.databases.map(databaseSection),
  ];
  return `${blocks.join('\n\n')}\n`;
}

/** Markdown for a check that could not run at all (bad credentials, B2 unreachable). */
export function formatCheckErrorMarkdown(message: string, hint?: string): string {
  return `${MARKDOWN_MARKER}\n## b2m check: ❌ could not run\n\n${text(message)}${hint ? `\n\n${text(hint)}` : ''}\n`;
}

function databaseSection(d: DatabaseCheck): string {
  const blocks = [`### ${code(d.database)}: ${symbol(d)} ${verdict(d)}`];
  if (d.notes.length) blocks.push(d.notes.map((n) => `> ${text(n)}`).join('\n>\n'));
  if (d.outcome === 'nothing-to-check') blocks.push(`Nothing to check: ${text(nothingToCheck(d))}`);
  else if (d.source) blocks.push(`Ran the scripts that ${text(sourcePhrase(d))} lacks on a copy of it${d.scripts.length ? ', in this order:' : '.'}`);
  if (d.outcome !== 'nothing-to-check' && d.scripts.length) {
    blocks.push(d.scripts.map((s, i) => `${i + 1}. ${code(s)}${s === d.failure?.script ? ' ❌ failed' : ''}`).join('\n'));
  }
  if (d.failure) {
    blocks.push(`**Error:** ${prose(d.failure.message)}`);
    if (d.failure.output) blocks.push(fenced(d.failure.output));
    if (d.failure.hint) blocks.push(prose(d.failure.hint));
  }
  if (d.outcome === 'passed') blocks.push(verifiedSentence(d, (name) => code(name)), ...changesBlocks(d));
  const warnings = [...d.lintWarnings, ...d.scriptIssues];
  if (warnings.length) blocks.push('#### Warnings', warnings.map((w) => `- ⚠️ ${prose(w.message)} ${prose(w.hint)}`).join('\n'));
  if (d.tables.some((t) => t.sample.rows.length > 0)) blocks.push(rowsBlock(d.tables));
  return blocks.join('\n\n');
}

function changesBlocks(d: DatabaseCheck): string[] {
  if (d.tables.length === 0 && d.otherChanges.length === 0) return ['#### Changes', 'None: the scripts changed no row and no schema.'];
  const rows = d.tables.map((t) => [code(t.table, true), String(t.inserted), String(t.updated), String(t.deleted), schemaText(t.schema, (n) => code(n, true))]);
  return [
    '#### Changes',
    ...(rows.length ? [table(['table', 'inserted', 'updated', 'deleted', 'schema'], rows, [false, true, true, true, false])] : []),
    ...(d.otherChanges.length ? [`Also: ${schemaText(d.otherChanges, (n) => code(n))}.`] : []),
  ];
}

function rowsBlock(tables: readonly TableChange[]): string {
  const parts = tables
    .filter((t) => t.sample.rows.length > 0)
    .map((t) => {
      const hidden = t.sample.hiddenColumns ? ` (${plural(t.sample.hiddenColumns, 'more column')} not shown)` : '';
      const rows = t.sample.rows.map((r) => [CHANGE_WORDS[r.change], ...r.cells.map((c) => (c.before === undefined ? code(c.value, true) : `${code(c.before, true)} → ${code(c.value, true)}`))]);
      return `**${code(t.table)}**${hidden}\n\n${table(['', ...t.sample.columns.map((c) => code(c, true))], rows)}`;
    });
  return ['<details>\n<summary>First rows of each change</summary>', ...parts, '</details>'].join('\n\n');
}

function title(report: CheckReport): string {
  const outcome = overallOutcome(report);
  if (outcome === 'failed') return '❌ failed';
  if (outcome === 'skipped') return '➖ nothing checked';
  const words = outcome === 'passed' ? 'passed' : 'nothing to check';
  const warnings = report.databases.reduce((n, d) => n + warningCount(d), 0);
  return warnings ? `⚠️ ${words} with ${plural(warnings, 'warning')}` : `✅ ${words}`;
}

function symbol(d: DatabaseCheck): string {
  if (d.outcome === 'failed') return '❌';
  if (d.outcome === 'skipped') return '➖';
  return warningCount(d) > 0 ? '⚠️' : '✅';
}

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[] = []): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (rightAligned[i] ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

/** Prose with names from the database in it: characters markdown would act on are escaped. */
export function text(s: string): string {
  return s.replace(/[\\`*[\]<>&|@]/g, '\\$&').replace(/\r?\n/g, ' ');
}

/** Like text(), with the names of migration scripts and the "b2m ..." commands set as code. */
function prose(s: string): string {
  return text(s)
    .replace(/\b\d{23}_[a-z0-9_]+\.py\b/g, (name) => code(name))
    .replace(/"(b2m [^"`\\]+)"/g, (_, command: string) => code(command));
}

/** A code span that holds any text; in a table cell, `|` is escaped (GitHub's tables split on it first). */
export function code(s: string, inTableCell = false): string {
  const body = (inTableCell ? s.replaceAll('|', '\\|') : s).replace(/\r?\n/g, ' ');
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A fenced block that no line of the text can close. */
function fenced(s: string): string {
  const longestRun = Math.max(2, ...(s.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}text\n${s}\n${fence}`;
}
