// The panel's header: which two sides are compared, totals, the table choice, the search box and
// the two actions.
import type { DiffResult } from '../../src/core/diff/types';
import type { TableChoice } from './grid/display-items';
import { el } from './dom';

export interface ToolbarEvents {
  onFilter(choice: TableChoice, search: string): void;
  onCopySql(): void;
  onSaveAsMigration(): void;
}

const SEARCH_DELAY_MS = 120;

export class Toolbar {
  readonly element: HTMLElement;
  private readonly sides = el('h1', { class: 'title' });
  private readonly totals = el('span', { class: 'totals' });
  private readonly tableSelect = el('select', { id: 'table-choice' });
  private readonly search = el('input', { type: 'search', id: 'search', placeholder: 'Search rows', 'aria-label': 'Search rows by any cell', spellcheck: 'false' });
  private readonly status = el('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly copySql = el('button', { type: 'button', class: 'secondary', id: 'copy-sql' }, 'Copy SQL');
  private readonly saveMigration = el('button', { type: 'button', id: 'save-migration' }, 'Save as migration');
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly events: ToolbarEvents) {
    this.element = el(
      'header',
      { class: 'toolbar' },
      el('div', { class: 'toolbar-row' }, this.sides, this.totals, el('div', { class: 'actions' }, this.copySql, this.saveMigration)),
      el('div', { class: 'toolbar-row' }, el('label', { for: 'table-choice' }, 'Table'), this.tableSelect, this.search, this.status),
    );
    this.tableSelect.addEventListener('change', () => this.emitFilter());
    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.emitFilter(), SEARCH_DELAY_MS);
    });
    this.search.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        clearTimeout(this.searchTimer);
        this.emitFilter();
      }
    });
    this.copySql.addEventListener('click', () => events.onCopySql());
    this.saveMigration.addEventListener('click', () => events.onSaveAsMigration());
  }

  setDiff(diff: DiffResult): void {
    this.sides.replaceChildren(el('span', { class: 'side' }, diff.a), el('span', { class: 'sides-arrow', 'aria-label': 'compared with' }, '↔'), el('span', { class: 'side' }, diff.b));
    const sum = (pick: (s: DiffResult['tables'][number]['summary']) => number): number => diff.tables.reduce((n, t) => n + pick(t.summary), 0);
    this.totals.replaceChildren(
      el('span', {}, `${diff.tables.length.toLocaleString()} ${diff.tables.length === 1 ? 'table' : 'tables'}`),
      el('span', { class: 'count insert' }, `+${sum((s) => s.inserts).toLocaleString()}`),
      el('span', { class: 'count update' }, `~${sum((s) => s.changes).toLocaleString()}`),
      el('span', { class: 'count delete' }, `−${sum((s) => s.deletes).toLocaleString()}`),
    );
    const previous = this.tableSelect.value;
    const options = [el('option', { value: 'all' }, `All tables (${diff.tables.length.toLocaleString()})`)];
    diff.tables.forEach((t, i) => options.push(el('option', { value: String(i) }, t.table)));
    if (diff.objectChanges.length > 0) options.push(el('option', { value: 'objects' }, `Indexes, views and triggers (${diff.objectChanges.length.toLocaleString()})`));
    this.tableSelect.replaceChildren(...options);
    if (options.some((o) => o.value === previous)) this.tableSelect.value = previous;
    const empty = diff.sql.trim() === '';
    this.copySql.disabled = empty;
    this.saveMigration.disabled = empty;
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  get choice(): TableChoice {
    const value = this.tableSelect.value;
    return value === 'all' || value === 'objects' ? value : Number(value);
  }

  get searchText(): string {
    return this.search.value;
  }

  private emitFilter(): void {
    this.events.onFilter(this.choice, this.search.value);
  }
}
