// The grid of changed rows: a virtual list of display items, the column header that stays at the
// top while a table's rows scroll under it, and keyboard navigation between rows.
import type { DiffResult } from '../../../src/core/diff/types';
import type { DisplayItem } from './display-items';
import { el } from '../dom';
import { renderItem, type RowViewContext } from './row-view';
import { tableLayout, type TableLayout } from './table-layout';
import { VirtualList, type ViewportPosition } from './virtual-list';

/** Must match `.row { height }` in styles.css. */
export const ROW_HEIGHT_PX = 24;

export class DiffGrid {
  readonly element: HTMLElement;
  private readonly viewport = el('div', { class: 'grid', role: 'grid', 'aria-label': 'Changed rows' });
  private readonly stickyHeader = el('div', { class: 'sticky-header', 'aria-hidden': 'true' });
  private readonly list: VirtualList;
  private readonly layouts = new Map<number, { rowCount: number; layout: TableLayout }>();
  private readonly context: RowViewContext;
  private diff: DiffResult | undefined;
  private items: DisplayItem[] = [];
  private active = 0;
  private stickyTable: number | undefined;
  private charWidthPx: number | undefined;

  constructor() {
    this.element = el('div', { class: 'grid-wrap' }, this.stickyHeader, this.viewport);
    this.context = { diff: emptyDiff, layout: (table) => this.layout(table) };
    this.list = new VirtualList({
      viewport: this.viewport,
      rowHeight: ROW_HEIGHT_PX,
      renderRow: (index) => this.renderRow(index),
      onRender: (view) => this.updateStickyHeader(view),
    });
    this.viewport.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.viewport.addEventListener('mousedown', (event) => this.onMouseDown(event));
  }

  show(diff: DiffResult, items: DisplayItem[]): void {
    if (diff !== this.diff) this.layouts.clear();
    this.diff = diff;
    this.context.diff = diff;
    this.items = items;
    this.stickyTable = undefined;
    this.stickyHeader.replaceChildren();
    this.active = Math.min(this.active, Math.max(0, items.length - 1));
    this.viewport.setAttribute('aria-rowcount', String(items.length));
    this.list.pin(items.length > 0 ? this.active : undefined);
    this.list.reset(items.length, this.contentWidth());
  }

  /** Moves the active row and the keyboard focus to the item at `index`. */
  focusItem(index: number): void {
    if (this.items.length === 0) return;
    const previous = this.list.element(this.active);
    previous?.setAttribute('tabindex', '-1');
    previous?.classList.remove('active');
    this.active = Math.max(0, Math.min(this.items.length - 1, index));
    this.list.pin(this.active);
    this.list.reveal(this.active, this.items[this.active]?.kind === 'row' ? 1 : 0);
    const row = this.list.element(this.active);
    row?.setAttribute('tabindex', '0');
    row?.classList.add('active');
    row?.focus({ preventScroll: true });
  }

  private renderRow(index: number): HTMLElement {
    const item = this.items[index];
    if (item === undefined) throw new Error(`No grid item ${index}`);
    const row = renderItem(item, this.context);
    row.id = `item-${index}`;
    row.dataset.index = String(index);
    row.setAttribute('aria-rowindex', String(index + 1));
    row.setAttribute('tabindex', index === this.active ? '0' : '-1');
    if (index === this.active) row.classList.add('active');
    return row;
  }

  private layout(table: number): TableLayout {
    const tableDiff = this.diff?.tables[table];
    if (tableDiff === undefined) throw new Error(`No table ${table} in the diff`);
    // Rows may still be arriving: measure again when there are more.
    const rowCount = tableDiff.rows.length;
    const cached = this.layouts.get(table);
    if (cached?.rowCount === rowCount) return cached.layout;
    const layout = tableLayout(tableDiff, this.charWidth());
    this.layouts.set(table, { rowCount, layout });
    return layout;
  }

  private contentWidth(): number {
    const tables = new Set<number>();
    for (const item of this.items) if (item.kind === 'columns') tables.add(item.table);
    let width = 0;
    for (const table of tables) width = Math.max(width, this.layout(table).widthPx);
    return width;
  }

  private charWidth(): number {
    if (this.charWidthPx === undefined) {
      const probe = el('span', { class: 'char-probe' }, '0'.repeat(100));
      this.viewport.append(probe);
      this.charWidthPx = probe.getBoundingClientRect().width / 100 || 8;
      probe.remove();
    }
    return this.charWidthPx;
  }

  private updateStickyHeader({ firstVisible, scrollLeft, width }: ViewportPosition): void {
    const item = this.items[firstVisible];
    const table = item?.kind === 'row' ? item.table : undefined;
    if (table !== this.stickyTable) {
      this.stickyTable = table;
      this.stickyHeader.replaceChildren(...(table === undefined ? [] : [renderItem({ kind: 'columns', table }, this.context)]));
    }
    this.stickyHeader.style.width = `${width}px`;
    const header = this.stickyHeader.firstElementChild;
    if (header instanceof HTMLElement) header.style.transform = `translateX(${-scrollLeft}px)`;
  }

  private onKeyDown(event: KeyboardEvent): void {
    const moves: Record<string, number> = {
      ArrowDown: this.active + 1,
      ArrowUp: this.active - 1,
      PageDown: this.active + this.list.pageSize - 1,
      PageUp: this.active - this.list.pageSize + 1,
      Home: 0,
      End: this.items.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined || event.altKey) return;
    event.preventDefault();
    this.focusItem(target);
  }

  private onMouseDown(event: MouseEvent): void {
    const row = event.target instanceof Element ? event.target.closest<HTMLElement>('.row[data-index]') : null;
    if (row?.dataset.index !== undefined) this.focusItem(Number(row.dataset.index));
  }
}

const emptyDiff: DiffResult = { a: '', b: '', tables: [], objectChanges: [], sql: '' };
