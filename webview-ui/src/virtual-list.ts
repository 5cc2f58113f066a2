// A single scroll container that keeps only the rows in (and just around) the viewport in the
// DOM. Every row has the same height, so a row's position is its index times that height.
export interface VirtualListOptions {
  viewport: HTMLElement;
  rowHeight: number;
  renderRow(index: number): HTMLElement;
  /** Called after each render with the index of the first row at the top of the viewport. */
  onRender?(firstVisible: number): void;
}

const OVERSCAN_ROWS = 8;

export class VirtualList {
  private readonly sizer = document.createElement('div');
  private readonly rows = new Map<number, HTMLElement>();
  private count = 0;
  private pinned: number | undefined;
  private frame: number | undefined;

  constructor(private readonly options: VirtualListOptions) {
    this.sizer.className = 'virtual-sizer';
    options.viewport.append(this.sizer);
    options.viewport.addEventListener('scroll', () => this.scheduleRender(), { passive: true });
    new ResizeObserver(() => this.scheduleRender()).observe(options.viewport);
  }

  get rowCount(): number {
    return this.count;
  }

  /** Visible rows in a full viewport (at least one). */
  get pageSize(): number {
    return Math.max(1, Math.floor(this.options.viewport.clientHeight / this.options.rowHeight));
  }

  get firstVisible(): number {
    return Math.floor(this.options.viewport.scrollTop / this.options.rowHeight);
  }

  /** Replaces all rows (their content may have changed) and renders at once. */
  reset(count: number, contentWidthPx: number): void {
    this.count = count;
    this.sizer.style.height = `${count * this.options.rowHeight}px`;
    this.sizer.style.width = `${contentWidthPx}px`;
    for (const row of this.rows.values()) row.remove();
    this.rows.clear();
    this.render();
  }

  /** Keeps this row in the DOM even when scrolled away, so that it can keep the focus. */
  pin(index: number | undefined): void {
    this.pinned = index;
  }

  element(index: number): HTMLElement | undefined {
    return this.rows.get(index);
  }

  /** Scrolls the least needed to show the row below `topInsetRows` rows hidden by an overlay. */
  reveal(index: number, topInsetRows = 0): void {
    const { viewport, rowHeight } = this.options;
    const top = index * rowHeight;
    const minTop = viewport.scrollTop + topInsetRows * rowHeight;
    if (top < minTop) viewport.scrollTop = top - topInsetRows * rowHeight;
    else if (top + rowHeight > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + rowHeight - viewport.clientHeight;
    this.render();
  }

  render(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    const { viewport, rowHeight } = this.options;
    const first = Math.max(0, this.firstVisible - OVERSCAN_ROWS);
    const last = Math.min(this.count - 1, Math.ceil((viewport.scrollTop + viewport.clientHeight) / rowHeight) + OVERSCAN_ROWS);
    for (const [index, row] of this.rows) {
      if ((index < first || index > last) && index !== this.pinned) {
        row.remove();
        this.rows.delete(index);
      }
    }
    for (let index = first; index <= last; index++) this.ensureRow(index);
    if (this.pinned !== undefined && this.pinned < this.count) this.ensureRow(this.pinned);
    this.options.onRender?.(this.firstVisible);
  }

  private ensureRow(index: number): void {
    if (this.rows.has(index)) return;
    const row = this.options.renderRow(index);
    row.style.top = `${index * this.options.rowHeight}px`;
    this.sizer.append(row);
    this.rows.set(index, row);
  }

  private scheduleRender(): void {
    this.frame ??= requestAnimationFrame(() => this.render());
  }
}
