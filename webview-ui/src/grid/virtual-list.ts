// A single scroll container that keeps only the rows in (and just around) the viewport in the
// DOM. Every row has the same height, so a row's position is its index times that height.
export interface VirtualListOptions {
  viewport: HTMLElement;
  rowHeight: number;
  renderRow(index: number): HTMLElement;
  /** Called after each render, with where the viewport was when it started. */
  onRender?(view: ViewportPosition): void;
}

export interface ViewportPosition {
  /** Index of the row at the top. */
  firstVisible: number;
  scrollLeft: number;
  /** Inner width, without the scroll bar. */
  width: number;
}

const OVERSCAN_ROWS = 4;

export class VirtualList {
  private readonly sizer = document.createElement('div');
  private readonly rows = new Map<number, HTMLElement>();
  private count = 0;
  private pinned: number | undefined;
  private frame: number | undefined;
  // Kept up to date by a ResizeObserver: reading them during a render would force a layout.
  private viewportHeight = 0;
  private viewportWidth = 0;

  constructor(private readonly options: VirtualListOptions) {
    this.sizer.className = 'virtual-sizer';
    this.sizer.setAttribute('role', 'presentation');
    options.viewport.append(this.sizer);
    options.viewport.addEventListener('scroll', () => this.scheduleRender(), { passive: true });
    new ResizeObserver(() => {
      this.measureViewport();
      this.scheduleRender();
    }).observe(options.viewport);
  }

  /** Visible rows in a full viewport (at least one). */
  get pageSize(): number {
    return Math.max(1, Math.floor(this.viewportHeight / this.options.rowHeight));
  }

  /** Replaces all rows (their content may have changed) and renders at once. */
  reset(count: number, contentWidthPx: number): void {
    this.count = count;
    this.sizer.style.height = `${count * this.options.rowHeight}px`;
    this.sizer.style.width = `${contentWidthPx}px`;
    this.sizer.replaceChildren();
    this.rows.clear();
    this.measureViewport();
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
    else if (top + rowHeight > viewport.scrollTop + this.viewportHeight) viewport.scrollTop = top + rowHeight - this.viewportHeight;
    this.render();
  }

  render(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    const { viewport, rowHeight } = this.options;
    // Read before changing the DOM, which would make these reads lay out the page again.
    const { scrollTop, scrollLeft } = viewport;
    const firstVisible = Math.floor(scrollTop / rowHeight);
    const first = Math.max(0, firstVisible - OVERSCAN_ROWS);
    const last = Math.min(this.count - 1, Math.ceil((scrollTop + this.viewportHeight) / rowHeight) + OVERSCAN_ROWS);
    for (const [index, row] of this.rows) {
      if ((index < first || index > last) && index !== this.pinned) {
        row.remove();
        this.rows.delete(index);
      }
    }
    for (let index = first; index <= last; index++) this.ensureRow(index);
    if (this.pinned !== undefined && this.pinned < this.count) this.ensureRow(this.pinned);
    this.options.onRender?.({ firstVisible, scrollLeft, width: this.viewportWidth });
  }

  private ensureRow(index: number): void {
    if (this.rows.has(index)) return;
    const row = this.options.renderRow(index);
    row.style.top = `${index * this.options.rowHeight}px`;
    this.sizer.append(row);
    this.rows.set(index, row);
  }

  private measureViewport(): void {
    this.viewportHeight = this.options.viewport.clientHeight;
    this.viewportWidth = this.options.viewport.clientWidth;
  }

  private scheduleRender(): void {
    this.frame ??= requestAnimationFrame(() => this.render());
  }
}
