import type { CellValue, RowWindow } from '@spyglass/store';
import { cursorAfterKey } from './grid-cursor.js';
import { gridGeometry, ROW_SIZES, scrollTopOfRow } from './grid-geometry.js';
import { tableText } from './messages.js';

/** Default row height (px); `setRowHeight` picks another, every row always has the same height. */
export const ROW_HEIGHT: number = ROW_SIZES.small;
/** Rows rendered above and below the viewport so a small scroll shows no blank rows. */
export const OVERSCAN = 6;
/** Rows fetched per request; windows are cached by block. */
export const BLOCK_ROWS = 128;
const CACHED_BLOCKS = 40;
/** Header rows (titles, filters) come before the data rows in aria-rowindex. */
const HEADER_ROWS = 2;
let grids = 0;

export interface GridColumn {
  name: string;
  width: number;
  numeric: boolean;
}

/** How the grid gets rows and draws cells; the explorer supplies it for each view. */
export interface GridSource {
  count: number;
  columns: GridColumn[];
  /**
   * Rows [offset, offset + limit); `isWanted` tells a source that had to wait whether the rows are still on screen.
   * `null` means the source dropped a request the grid no longer wants.
   */
  fetch(offset: number, limit: number, isWanted?: () => boolean): Promise<RowWindow | null>;
  renderCell(
    cell: HTMLElement,
    value: CellValue,
    column: GridColumn,
    row: readonly CellValue[],
    index: number,
  ): void;
  /** Extra classes for a row (e.g. compare status) */
  rowClass?(row: readonly CellValue[]): string | null;
}

export interface GridEvents {
  rowClicked(index: number, row: readonly CellValue[], event: { shiftKey: boolean }): void;
  cellFocused(index: number, column: GridColumn, value: CellValue): void;
  error(error: unknown): void;
}

/**
 * A virtualised grid: a spacer as tall as all rows gives the scrollbar its range, and only the rows in view (plus
 * a small overscan) exist in the DOM, absolutely positioned. Rows come from the source in cached blocks; a stale
 * answer (after the view changed) is dropped by generation. Keyboard: the grid holds the focus and points at the
 * focused cell with aria-activedescendant (its cells are rebuilt on every scroll); arrows, Page Up/Down, Home and
 * End move it, Enter opens its media (or selects the row), Space selects the row.
 */
export class VirtualGrid {
  readonly node: HTMLDivElement;
  readonly header: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly rowsLayer: HTMLDivElement;
  private source: GridSource | null = null;
  private generation = 0;
  private readonly blocks = new Map<number, CellValue[][]>();
  private wanted: [number, number] = [0, 0];
  private inFlight = false;
  private frame = 0;
  private selected = new Set<number>();
  private focused: { row: number; column: string } | null = null;
  private readonly idPrefix = `sg-grid-${++grids}`;
  private rowHeightPx = ROW_HEIGHT;

  constructor(
    private readonly doc: Document,
    private readonly events: GridEvents,
  ) {
    this.node = doc.createElement('div');
    this.node.className = 'sg-grid';
    this.node.tabIndex = 0;
    this.node.setAttribute('role', 'grid');
    this.node.setAttribute('aria-label', tableText.gridLabel);
    this.node.style.setProperty('--sg-row-height', `${this.rowHeightPx}px`);
    this.node.addEventListener('keydown', (event) => this.onKey(event));
    this.header = doc.createElement('div');
    this.header.className = 'sg-grid-header';
    this.spacer = doc.createElement('div');
    this.spacer.className = 'sg-grid-spacer';
    this.rowsLayer = doc.createElement('div');
    this.rowsLayer.className = 'sg-grid-rows';
    this.spacer.append(this.rowsLayer);
    this.node.append(this.header, this.spacer);
    this.node.addEventListener('scroll', () => this.schedule(), { passive: true });
  }

  /** Shows a new view: forgets cached rows, scrolls to the top. */
  setSource(source: GridSource): void {
    this.source = source;
    this.generation++;
    this.blocks.clear();
    this.inFlight = false;
    this.selected.clear();
    this.focused = null;
    const width = source.columns.reduce((w, c) => w + c.width, 0);
    this.spacer.style.width = `${width}px`;
    this.spacer.style.height = `${this.geometry().height}px`;
    this.node.scrollTop = 0;
    this.node.setAttribute('aria-rowcount', String(source.count + HEADER_ROWS));
    this.node.setAttribute('aria-colcount', String(source.columns.length + 1));
    this.node.removeAttribute('aria-activedescendant');
    this.render();
  }

  get selection(): ReadonlySet<number> {
    return this.selected;
  }

  setSelection(rows: Iterable<number>): void {
    this.selected = new Set(rows);
    this.render();
  }

  /** The cached row at an index, if loaded. */
  row(index: number): CellValue[] | undefined {
    return this.blocks.get(Math.floor(index / BLOCK_ROWS))?.[index % BLOCK_ROWS];
  }

  get rowHeight(): number {
    return this.rowHeightPx;
  }

  /** Sets every row's height (px), keeping the first row in view where it was. */
  setRowHeight(px: number): void {
    if (px === this.rowHeightPx) return;
    const first = this.geometry().first;
    this.rowHeightPx = px;
    this.node.style.setProperty('--sg-row-height', `${px}px`);
    this.spacer.style.height = `${this.geometry().height}px`;
    this.scrollToRow(first);
  }

  /** Scrolls so that row `index` is at the top. */
  scrollToRow(index: number): void {
    this.node.scrollTop = scrollTopOfRow(this.geometry(), this.rowCount(), this.rowHeightPx, index);
    this.render();
  }

  /** Number of row elements in the DOM (tests and the benchmark check it stays small). */
  renderedRows(): number {
    return this.rowsLayer.childElementCount;
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.generation++;
    this.node.remove();
  }

  private rowCount(): number {
    return this.source?.count ?? 0;
  }

  private geometry() {
    return gridGeometry(
      this.rowCount(),
      this.rowHeightPx,
      this.node.clientHeight - this.header.offsetHeight,
      this.node.scrollTop,
    );
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const source = this.source;
    if (!source) return;
    const { visible, first, y } = this.geometry();
    const start = Math.max(0, first - OVERSCAN);
    const end = Math.min(source.count, first + visible + OVERSCAN);
    this.request(start, end);
    const rows: HTMLElement[] = [];
    for (let index = start; index < end; index++) {
      const values = this.row(index);
      const row = this.doc.createElement('div');
      row.className = 'sg-grid-row';
      row.style.transform = `translateY(${y(index)}px)`;
      row.dataset.index = String(index);
      row.setAttribute('role', 'row');
      row.setAttribute('aria-rowindex', String(index + HEADER_ROWS + 1));
      if (this.selected.has(index)) row.classList.add('sg-selected');
      const number = this.doc.createElement('div');
      number.className = 'sg-grid-rownum';
      number.textContent = String(index + 1);
      number.setAttribute('role', 'rowheader');
      row.append(number);
      if (values) {
        const extra = source.rowClass?.(values);
        if (extra) row.classList.add(extra);
        number.addEventListener('click', (event) => this.events.rowClicked(index, values, event));
        source.columns.forEach((column, c) => {
          const cell = this.doc.createElement('div');
          cell.className = column.numeric ? 'sg-grid-cell sg-num' : 'sg-grid-cell';
          cell.style.width = `${column.width}px`;
          cell.setAttribute('role', 'gridcell');
          cell.id = `${this.idPrefix}-${index}-${c}`;
          if (this.focused?.row === index && this.focused.column === column.name)
            cell.classList.add('sg-focused');
          source.renderCell(cell, values[c], column, values, index);
          cell.addEventListener('click', () => {
            this.focused = { row: index, column: column.name };
            for (const el of this.rowsLayer.querySelectorAll('.sg-focused'))
              el.classList.remove('sg-focused');
            cell.classList.add('sg-focused');
            this.node.setAttribute('aria-activedescendant', cell.id);
            this.events.cellFocused(index, column, values[c]);
          });
          row.append(cell);
        });
      } else {
        row.classList.add('sg-loading');
      }
      rows.push(row);
    }
    this.rowsLayer.replaceChildren(...rows);
    const active = this.rowsLayer.querySelector('.sg-focused');
    if (active) this.node.setAttribute('aria-activedescendant', active.id);
    else this.node.removeAttribute('aria-activedescendant');
    this.node.dataset.loadedBlocks = String(this.blocks.size);
    this.node.dataset.fetching = String(this.inFlight);
  }

  private onKey(event: KeyboardEvent): void {
    const source = this.source;
    if (!source || event.target !== this.node || event.ctrlKey || event.metaKey || event.altKey) return;
    const { visible, first } = this.geometry();
    const columns = source.columns;
    const at = this.focused ?? { row: first, column: columns[0]?.name ?? '' };
    const cursor = {
      row: at.row,
      column: Math.max(
        0,
        columns.findIndex((c) => c.name === at.column),
      ),
    };
    if (event.key === 'Enter' || event.key === ' ') {
      if (!this.focused) return;
      event.preventDefault();
      const cell = this.rowsLayer.querySelector<HTMLElement>('.sg-focused');
      const media = event.key === 'Enter' ? cell?.querySelector<HTMLElement>('button, img') : null;
      const values = this.row(cursor.row);
      if (media) media.click();
      else if (values) this.events.rowClicked(cursor.row, values, { shiftKey: event.shiftKey });
      return;
    }
    const next = cursorAfterKey(event.key, cursor, source.count, columns.length, Math.max(1, visible - 2));
    if (!next) return;
    event.preventDefault();
    const column = columns[next.column];
    this.focused = { row: next.row, column: column.name };
    if (next.row < first + 1 || next.row > first + visible - 3) {
      this.scrollToRow(Math.max(0, next.row < first + 1 ? next.row : next.row - visible + 3));
    } else this.render();
    // Columns scroll sideways too: bring the focused cell's left or right edge into view.
    const cell = this.rowsLayer.querySelector<HTMLElement>('.sg-focused');
    if (cell) {
      const box = cell.getBoundingClientRect();
      const view = this.node.getBoundingClientRect();
      if (box.left < view.left) this.node.scrollLeft -= view.left - box.left;
      else if (box.right > view.right) this.node.scrollLeft += box.right - view.right;
    }
    const values = this.row(next.row);
    if (values) this.events.cellFocused(next.row, column, values[next.column]);
  }

  private request(start: number, end: number): void {
    this.wanted = [start, end];
    this.pump();
  }

  /**
   * Fetches one missing block of the wanted range at a time: while the user drags the scrollbar, rows that have
   * scrolled past are never queried (DuckDB runs one query at a time, so a queue of stale windows would lag).
   */
  private pump(): void {
    const source = this.source;
    if (!source || this.inFlight) return;
    const [start, end] = this.wanted;
    if (end <= start) return;
    let block = -1;
    for (let b = Math.floor(start / BLOCK_ROWS); b <= Math.floor((end - 1) / BLOCK_ROWS); b++) {
      if (!this.blocks.has(b)) {
        block = b;
        break;
      }
    }
    if (block < 0) return;
    this.inFlight = true;
    const generation = this.generation;
    source
      .fetch(block * BLOCK_ROWS, BLOCK_ROWS, () => this.blockWanted(block, generation))
      .then((window) => {
        if (generation !== this.generation || !window) return;
        this.blocks.set(block, window.rows);
        while (this.blocks.size > CACHED_BLOCKS)
          this.blocks.delete(this.blocks.keys().next().value as number);
        // Render now rather than on the next animation frame: frames are not produced while the output is
        // off-screen or the tab hidden, and rows that arrived must not wait for a scroll.
        this.render();
      })
      .catch((error) => {
        if (generation === this.generation) this.events.error(error);
      })
      .finally(() => {
        if (generation !== this.generation) return; // setSource already cleared the flag for the new view
        this.inFlight = false;
        this.pump();
      });
  }

  /** Whether a block still overlaps the rows on screen (a scroll that moved on drops older requests). */
  private blockWanted(block: number, generation: number): boolean {
    const [start, end] = this.wanted;
    return generation === this.generation && block * BLOCK_ROWS < end && (block + 1) * BLOCK_ROWS > start;
  }
}
