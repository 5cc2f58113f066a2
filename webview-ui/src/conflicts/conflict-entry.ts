// One entry of the conflicts view: a row both sides touched, as a small table with the ancestor,
// theirs and yours one above the other and the cells marked; or a table definition both changed.
// Values go in only as text (see dom.ts).
import type { SchemaChange, SqlValue } from '../../../src/core/diff/types';
import { el } from '../dom';
import { formatValue } from '../format-value';
import type { ConflictCell, ConflictEntry, ConflictSide, RowConflict, SchemaConflict } from '../protocol';
import { schemaChangeText } from '../schema-change-text';

/** How the three sides are named in the row headers, e.g. "Theirs · v5 by bob". */
export interface SideNames {
  ancestor: string;
  theirs: string;
  yours: string;
}

const MARK_WORDS: Record<ConflictCell['mark'], string> = { same: 'as in the ancestor', changed: 'changed', conflict: 'changed on both sides differently' };

export function renderConflictEntry(entry: ConflictEntry, names: SideNames): HTMLElement {
  return entry.kind === 'row' ? rowEntry(entry, names) : schemaEntry(entry, names);
}

function rowEntry(entry: RowConflict, names: SideNames): HTMLElement {
  const key = entry.key.map(({ column, value }) => `${column} = ${formatValue(value).full}`).join(', ');
  const heading = el('h3', { class: 'conflict-heading' }, el('span', { class: 'table-name' }, entry.table), el('span', { class: 'conflict-key' }, key), el('span', { class: 'conflict-what' }, entry.what));
  const head = el('tr', {}, el('th', { scope: 'col', class: 'side-name' }, 'Side'), ...entry.columns.map((column) => el('th', { scope: 'col' }, column)));
  const body = el(
    'tbody',
    {},
    sideRow('ancestor', names.ancestor, entry.ancestor, entry.columns),
    sideRow('theirs', names.theirs, entry.theirs, entry.columns),
    sideRow('yours', names.yours, entry.yours, entry.columns),
  );
  const table = el('table', { class: 'three-way', 'aria-label': `${entry.table}, ${key}: ${entry.what}` }, el('thead', {}, head), body);
  return el('section', { class: 'conflict' }, heading, el('div', { class: 'three-way-scroll' }, table));
}

function sideRow(side: 'ancestor' | 'theirs' | 'yours', name: string, values: ConflictSide, columns: string[]): HTMLElement {
  const header = el('th', { scope: 'row', class: 'side-name' }, name);
  if (values.state !== 'row') {
    const text = values.state === 'deleted' ? 'deleted' : 'no such row';
    return el('tr', { class: `side ${side}` }, header, el('td', { class: `whole-row ${values.state}`, colspan: String(Math.max(1, columns.length)) }, text));
  }
  return el('tr', { class: `side ${side}` }, header, ...values.cells.map((cell, i) => valueCell(cell, columns[i] ?? '')));
}

function valueCell(cell: ConflictCell, column: string): HTMLElement {
  const shown = cell.value === undefined ? { text: '(column dropped)', full: '(column dropped)', style: 'dropped' } : formatValue(cell.value as SqlValue);
  return el(
    'td',
    { class: `mark-${cell.mark}`, title: `${shown.full} (${MARK_WORDS[cell.mark]})`, 'aria-label': `${column}: ${shown.full}, ${MARK_WORDS[cell.mark]}` },
    el('span', { class: `value v-${shown.style}` }, shown.text),
  );
}

function schemaEntry(entry: SchemaConflict, names: SideNames): HTMLElement {
  const heading = el('h3', { class: 'conflict-heading' }, el('span', { class: 'table-name' }, entry.table), el('span', { class: 'conflict-what' }, 'both changed its definition'));
  const changes = (list: SchemaChange[]): HTMLElement => el('td', { class: 'mark-conflict' }, ...list.map(schemaLine));
  const table = el(
    'table',
    { class: 'three-way', 'aria-label': `${entry.table}: both changed its definition` },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', class: 'side-name' }, 'Side'), el('th', { scope: 'col' }, 'Definition changes'))),
    el(
      'tbody',
      {},
      el('tr', { class: 'side theirs' }, el('th', { scope: 'row', class: 'side-name' }, names.theirs), changes(entry.theirs)),
      el('tr', { class: 'side yours' }, el('th', { scope: 'row', class: 'side-name' }, names.yours), changes(entry.yours)),
    ),
  );
  return el('section', { class: 'conflict' }, heading, el('div', { class: 'three-way-scroll' }, table));
}

export function schemaLine(change: SchemaChange): HTMLElement {
  const text = schemaChangeText(change);
  return el('div', { class: 'schema-change', title: text.full }, `${text.label}${text.detail ? `: ${text.detail}` : ''}`);
}
