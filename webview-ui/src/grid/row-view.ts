// Builds the DOM of one grid line. Values go in only as text (see dom.ts).
import type { DiffResult, SchemaChange, SqlValue, TableDiff } from '../../../src/core/diff/types';
import type { DisplayItem } from './display-items';
import { el } from '../dom';
import { formatValue } from '../format-value';
import { rowCells, type RowCell } from './row-cells';
import { schemaChangeText } from '../schema-change-text';
import type { TableLayout } from './table-layout';

export interface RowViewContext {
  diff: DiffResult;
  layout(table: number): TableLayout;
}

const changeNames = { insert: 'Inserted', delete: 'Deleted', update: 'Updated' } as const;
const changeMarks = { insert: '+', delete: '−', update: '~' } as const;

export function renderItem(item: DisplayItem, context: RowViewContext): HTMLElement {
  switch (item.kind) {
    case 'table':
      return tableHeading(table(context, item.table));
    case 'schema':
      return schemaLine(table(context, item.table).schemaChanges[item.change]);
    case 'columns':
      return columnHeaders(table(context, item.table), context.layout(item.table));
    case 'row':
      return dataRow(table(context, item.table), item.row, context.layout(item.table));
    case 'objects':
      return objectsHeading(context.diff.objectChanges.length);
    case 'object':
      return schemaLine(context.diff.objectChanges[item.change]);
  }
}

function table(context: RowViewContext, index: number): TableDiff {
  const found = context.diff.tables[index];
  if (found === undefined) throw new Error(`No table ${index} in the diff`);
  return found;
}

function line(kind: string, ...cells: HTMLElement[]): HTMLElement {
  return el('div', { class: `row ${kind}`, role: 'row' }, ...cells);
}

function tableHeading(table: TableDiff): HTMLElement {
  const { inserts, changes, deletes, unchanged } = table.summary;
  const counts = el(
    'span',
    { class: 'counts' },
    count('insert', `+${inserts.toLocaleString()} inserted`),
    count('update', `~${changes.toLocaleString()} updated`),
    count('delete', `−${deletes.toLocaleString()} deleted`),
    count('unchanged', `${unchanged.toLocaleString()} unchanged`),
  );
  const cell = el('div', { class: 'heading-cell', role: 'columnheader' }, el('span', { class: 'table-name' }, table.table), counts);
  return line('heading', cell);
}

function count(kind: string, text: string): HTMLElement {
  return el('span', { class: `count ${kind}` }, text);
}

function objectsHeading(total: number): HTMLElement {
  const cell = el(
    'div',
    { class: 'heading-cell', role: 'columnheader' },
    el('span', { class: 'table-name' }, 'Indexes, views and triggers'),
    el('span', { class: 'counts' }, count('unchanged', `${total.toLocaleString()} changed`)),
  );
  return line('heading', cell);
}

function schemaLine(change: SchemaChange | undefined): HTMLElement {
  if (change === undefined) throw new Error('Missing schema change');
  const text = schemaChangeText(change);
  const cell = el(
    'div',
    { class: 'schema-cell', role: 'gridcell', title: text.full, 'aria-label': `${text.label}: ${text.full}` },
    el('span', { class: `schema-label ${change.kind}` }, text.label),
    el('span', { class: 'sql' }, text.detail),
  );
  return line('schema', cell);
}

function columnHeaders(table: TableDiff, layout: TableLayout): HTMLElement {
  const keyNames = new Set(table.columns.filter((c) => c.pk > 0).map((c) => c.name));
  const headers = [
    el('div', { class: 'cell marker', role: 'columnheader', 'aria-label': 'Change' }),
    ...layout.extraKeys.map((name) => columnHeader(name, '', true)),
    ...table.columns.map((c) => columnHeader(c.name, c.type, keyNames.has(c.name))),
  ];
  const row = line('columns', ...headers);
  row.style.gridTemplateColumns = layout.template;
  return row;
}

function columnHeader(name: string, type: string, isKey: boolean): HTMLElement {
  const title = [name, type, isKey ? 'primary key' : ''].filter((s) => s !== '').join(' · ');
  return el(
    'div',
    { class: isKey ? 'cell key' : 'cell', role: 'columnheader', title },
    el('span', { class: 'column-name' }, name),
    ...(type === '' ? [] : [el('span', { class: 'column-type' }, type)]),
  );
}

function dataRow(table: TableDiff, index: number, layout: TableLayout): HTMLElement {
  const change = table.rows[index];
  if (change === undefined) throw new Error(`No row ${index} in table ${table.table}`);
  const headers = [...layout.extraKeys, ...table.columns.map((c) => c.name)];
  const marker = el('div', { class: 'cell marker', role: 'gridcell', 'aria-label': changeNames[change.kind], title: `${changeNames[change.kind]} row` }, changeMarks[change.kind]);
  const cells = rowCells(table, change, layout.extraKeys).map((cell, i) => valueCell(cell, headers[i] ?? ''));
  const row = line(`data ${change.kind}`, marker, ...cells);
  row.style.gridTemplateColumns = layout.template;
  return row;
}

function valueCell(cell: RowCell, column: string): HTMLElement {
  if ('value' in cell) {
    const value = formatValue(cell.value);
    return el('div', { class: 'cell', role: 'gridcell', title: value.full }, valueSpan(cell.value));
  }
  const before = formatValue(cell.old).full;
  const after = formatValue(cell.new).full;
  return el(
    'div',
    { class: 'cell changed', role: 'gridcell', title: `${before} → ${after}`, 'aria-label': `${column} changed from ${before} to ${after}` },
    valueSpan(cell.old, 'old'),
    el('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
    valueSpan(cell.new, 'new'),
  );
}

function valueSpan(value: SqlValue, side?: 'old' | 'new'): HTMLElement {
  const formatted = formatValue(value);
  return el('span', { class: side === undefined ? `value v-${formatted.style}` : `value v-${formatted.style} ${side}` }, formatted.text);
}
