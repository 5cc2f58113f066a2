import { nothingToCheck, schemaText, sourcePhrase, verdict, verifiedSentence } from './describe';
import type { CheckReport, DatabaseCheck, SampleRow, TableChange } from './types';

const plain = (name: string): string => name;
const MARKS: Record<SampleRow['change'], string> = { insert: '+', update: '~', delete: '-' };

/** The report as plain text for a terminal or a CI log. */
export function formatCheckText(report: CheckReport): string {
  return report.databases.map(databaseText).join('\n');
}

function databaseText(d: DatabaseCheck): string {
  const lines = [`${d.database}: ${verdict(d)}${d.outcome === 'nothing-to-check' ? `: ${nothingToCheck(d)}` : ''}`];
  if (d.outcome !== 'nothing-to-check' && d.source) lines.push(`  ran the scripts that ${sourcePhrase(d)} lacks on a copy of it${d.scripts.length ? ', in this order:' : ''}`);
  if (d.outcome !== 'nothing-to-check') lines.push(...d.scripts.map((s) => `    ${s}${s === d.failure?.script ? '  <- failed' : ''}`));
  if (d.failure) {
    lines.push(`  error: ${d.failure.message}`);
    if (d.failure.output) lines.push(...d.failure.output.split('\n').map((l) => `    | ${l}`));
    if (d.failure.hint) lines.push(`  hint: ${d.failure.hint}`);
  }
  if (d.outcome === 'passed') lines.push(`  ${verifiedSentence(d, plain)}`);
  if (d.outcome === 'passed') lines.push(d.tables.length || d.otherChanges.length ? '  changes:' : '  changes: none');
  for (const t of d.tables) lines.push(...tableText(t));
  if (d.otherChanges.length) lines.push(`    ${schemaText(d.otherChanges, plain)}`);
  for (const w of [...d.lintWarnings, ...d.scriptIssues]) lines.push(`  warning: ${w.message} ${w.hint}`);
  for (const note of d.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

function tableText(t: TableChange): string[] {
  const schema = schemaText(t.schema, plain);
  const lines = [`    ${t.table}: ${t.inserted} inserted, ${t.updated} updated, ${t.deleted} deleted${schema ? `; ${schema}` : ''}`];
  if (t.sample.rows.length === 0) return lines;
  const hidden = t.sample.hiddenColumns ? ` (+${t.sample.hiddenColumns} more)` : '';
  lines.push(`      columns: ${t.sample.columns.join(', ')}${hidden}`);
  for (const row of t.sample.rows) {
    lines.push(`      ${MARKS[row.change]} ${row.cells.map((c) => (c.before === undefined ? c.value : `${c.before} -> ${c.value}`)).join(' | ')}`);
  }
  return lines;
}
