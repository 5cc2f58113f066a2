// The whole panel: reacts to host messages and to the toolbar, and decides which view shows: a
// diff, or the conflicts of a sync.
import type { DiffResult, RowChange } from '../../src/core/diff/types';
import { ConflictView } from './conflicts/conflict-view';
import { buildDisplayList, type TableChoice } from './grid/display-items';
import { DiffGrid } from './grid/diff-grid';
import { el } from './dom';
import type { ConflictReport, HostMessage, WebviewMessage } from './protocol';
import { errorBanner, errorView, loadingView, noDifferencesView, noMatchesView } from './state-views';
import { Toolbar } from './toolbar';

export class DiffApp {
  private readonly toolbar: Toolbar;
  private readonly grid = new DiffGrid();
  private readonly banners = el('div', { class: 'banners' });
  private readonly content = el('main', { class: 'content' });
  private diff: DiffResult | undefined;
  private conflicts: ConflictView | undefined;
  private pendingRows = 0;
  private receivedRows = 0;
  private choice: TableChoice = 'all';
  private search = '';
  private refreshFrame: number | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly post: (message: WebviewMessage) => void,
  ) {
    this.toolbar = new Toolbar({
      onFilter: (choice, search) => {
        this.choice = choice;
        this.search = search;
        this.refresh();
      },
      onCopySql: () => post({ type: 'copySql' }),
      onSaveAsMigration: () => post({ type: 'saveAsMigration' }),
    });
    this.toolbar.element.hidden = true;
    this.content.append(loadingView('Loading diff…'));
    root.replaceChildren(this.toolbar.element, this.banners, this.content);
  }

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'showDiff':
        return this.showDiff(message.diff, message.pendingRows);
      case 'rows':
        return this.appendRows(message.table, message.rows, message.done);
      case 'showConflicts':
        return this.showConflicts(message.report, message.publishing === true);
      case 'error':
        return this.showError(message.message);
    }
  }

  private showDiff(diff: DiffResult, pendingRows: number): void {
    this.diff = diff;
    this.conflicts = undefined;
    this.pendingRows = pendingRows;
    this.receivedRows = 0;
    this.toolbar.setDiff(diff);
    this.toolbar.element.hidden = false;
    this.choice = this.toolbar.choice;
    this.search = this.toolbar.searchText;
    this.refresh();
  }

  private appendRows(tableName: string, rows: RowChange[], done: boolean): void {
    const table = this.diff?.tables.find((t) => t.table === tableName);
    if (table === undefined) return;
    for (const row of rows) table.rows.push(row);
    this.receivedRows += rows.length;
    if (done) this.pendingRows = this.receivedRows;
    // Chunks arrive faster than frames: show them once per frame.
    this.refreshFrame ??= requestAnimationFrame(() => this.refresh());
  }

  private showConflicts(report: ConflictReport, publishing: boolean): void {
    this.diff = undefined;
    this.conflicts = new ConflictView(report, this.post, publishing);
    this.toolbar.element.hidden = true;
    this.root.setAttribute('aria-busy', 'false');
    this.content.replaceChildren(this.conflicts.element);
  }

  private showError(message: string): void {
    if (this.conflicts !== undefined) {
      this.conflicts.showError(message);
    } else if (this.diff === undefined) {
      this.root.setAttribute('aria-busy', 'false');
      this.content.replaceChildren(errorView(message));
    } else {
      this.banners.replaceChildren(errorBanner(message));
    }
  }

  private refresh(): void {
    if (this.refreshFrame !== undefined) cancelAnimationFrame(this.refreshFrame);
    this.refreshFrame = undefined;
    const diff = this.diff;
    if (diff === undefined) return;
    const loading = this.receivedRows < this.pendingRows;
    this.root.setAttribute('aria-busy', String(loading));
    if (diff.tables.length === 0 && diff.objectChanges.length === 0) {
      this.toolbar.setStatus('');
      this.content.replaceChildren(noDifferencesView(diff.a, diff.b));
      return;
    }
    const list = buildDisplayList(diff, this.choice, this.search);
    const counted = `${list.shownRows.toLocaleString()} of ${list.totalRows.toLocaleString()} changed rows`;
    this.toolbar.setStatus(loading ? `Loading rows… ${this.receivedRows.toLocaleString()} of ${this.pendingRows.toLocaleString()} received` : counted);
    if (list.items.length === 0) {
      this.content.replaceChildren(noMatchesView(this.search));
      return;
    }
    if (this.grid.element.parentElement !== this.content) this.content.replaceChildren(this.grid.element);
    this.grid.show(diff, list.items);
  }
}
