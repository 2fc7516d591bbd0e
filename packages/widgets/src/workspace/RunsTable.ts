import {
  cellText,
  formatDuration,
  type RunColumn,
  runColor,
  type TableRun,
  type TableView,
} from '@spyglass/charts';
import { workspaceMessages as text } from './workspace-messages.js';

/** Pixel height of one row; fixed so that only the rows in view need to exist in the DOM. */
export const ROW_HEIGHT = 26;
const OVERSCAN = 8;
const MAX_CELL_CHARS = 60;

export interface RunsTableEvents {
  sort(column: string): void;
  toggleSelect(runId: string): void;
  togglePin(runId: string): void;
  hover(runId: string | null): void;
}

type Item = { kind: 'group'; key: string; count: number } | { kind: 'run'; run: TableRun };

/**
 * The runs table: a sticky header and virtualised rows (only those in view, plus a few, are in the DOM, so
 * thousands of runs scroll smoothly). Every cell is set with textContent. Rows carry data-run-id,
 * data-selected, data-pinned and data-damaged for tests and styling.
 */
export class RunsTable {
  readonly node: HTMLElement;
  private readonly header = document.createElement('div');
  private readonly viewport = document.createElement('div');
  private readonly spacer = document.createElement('div');
  private readonly rowsNode = document.createElement('div');
  private items: Item[] = [];
  private columns: RunColumn[] = [];
  private selected = new Set<string>();
  private pinned = new Set<string>();
  private hovered: string | null = null;
  private sort: { column: string; descending: boolean } | null = null;
  private template = '';
  private frame = 0;

  constructor(private readonly events: RunsTableEvents) {
    this.node = document.createElement('div');
    this.node.className = 'jp-SpyglassRunsTable';
    this.header.className = 'jp-SpyglassRunsTable-header';
    this.viewport.className = 'jp-SpyglassRunsTable-viewport';
    this.spacer.className = 'jp-SpyglassRunsTable-spacer';
    this.rowsNode.className = 'jp-SpyglassRunsTable-rows';
    this.spacer.append(this.rowsNode);
    this.viewport.append(this.spacer);
    this.node.append(this.header, this.viewport);
    this.viewport.addEventListener('scroll', () => this.scheduleRows());
    this.rowsNode.addEventListener('pointerleave', () => this.events.hover(null));
  }

  /** Shows a table view with these visible columns; selection and pins mark rows. */
  update(
    view: TableView,
    columns: RunColumn[],
    selected: readonly string[],
    pinned: readonly string[],
    sort: { column: string; descending: boolean } | null,
  ): void {
    this.columns = columns;
    this.selected = new Set(selected);
    this.pinned = new Set(pinned);
    this.sort = sort;
    this.items = view.groups
      ? view.groups.flatMap((g): Item[] => [
          { kind: 'group', key: g.key, count: g.runs.length },
          ...g.runs.map((run): Item => ({ kind: 'run', run })),
        ])
      : view.rows.map((run): Item => ({ kind: 'run', run }));
    // Two fixed columns (select, pin), then the chosen ones; name gets more room.
    this.template = [
      '28px',
      '28px',
      ...columns.map((c) => (c.id === 'name' ? 'minmax(160px, 2fr)' : 'minmax(90px, 1fr)')),
    ].join(' ');
    this.node.setAttribute('data-rows', String(view.rows.length));
    this.renderHeader();
    this.spacer.style.height = `${this.items.length * ROW_HEIGHT}px`;
    this.renderRows();
  }

  /** Marks the row of the run whose line the pointer is over in a chart. */
  setHovered(runId: string | null): void {
    if (this.hovered === runId) return;
    this.hovered = runId;
    for (const row of this.rowsNode.children) {
      const el = row as HTMLElement;
      el.classList.toggle('jp-mod-hovered', runId !== null && el.dataset.runId === runId);
    }
    this.node.setAttribute('data-hovered-run', runId ?? '');
    if (runId !== null) this.scrollTo(runId);
  }

  private scrollTo(runId: string): void {
    const index = this.items.findIndex((i) => i.kind === 'run' && i.run.run_id === runId);
    if (index < 0) return;
    const top = index * ROW_HEIGHT;
    if (
      top < this.viewport.scrollTop ||
      top + ROW_HEIGHT > this.viewport.scrollTop + this.viewport.clientHeight
    ) {
      this.viewport.scrollTop = Math.max(0, top - this.viewport.clientHeight / 2);
    }
  }

  private renderHeader(): void {
    const cells = ['', ''].map(() => document.createElement('span'));
    for (const column of this.columns) {
      const cell = document.createElement('button');
      cell.type = 'button';
      cell.className = 'jp-SpyglassRunsTable-sort';
      cell.dataset.column = column.id;
      const arrow = this.sort?.column === column.id ? (this.sort.descending ? ' ▼' : ' ▲') : '';
      cell.textContent = `${column.label}${arrow}`;
      cell.title = column.kind === 'run' ? column.label : `${column.kind}: ${column.label}`;
      cell.classList.add(`jp-mod-${column.kind}`);
      cell.addEventListener('click', () => this.events.sort(column.id));
      cells.push(cell);
    }
    this.header.style.gridTemplateColumns = this.template;
    this.header.replaceChildren(...cells);
  }

  private scheduleRows(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderRows();
    });
  }

  private renderRows(): void {
    const height = this.viewport.clientHeight || 400;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      this.items.length,
      Math.ceil((this.viewport.scrollTop + height) / ROW_HEIGHT) + OVERSCAN,
    );
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) rows.push(this.renderItem(this.items[i], i));
    this.rowsNode.replaceChildren(...rows);
  }

  private renderItem(item: Item, index: number): HTMLElement {
    const row = document.createElement('div');
    row.style.top = `${index * ROW_HEIGHT}px`;
    row.style.gridTemplateColumns = this.template;
    if (item.kind === 'group') {
      row.className = 'jp-SpyglassRunsTable-group';
      row.dataset.group = item.key;
      row.textContent = text.group(item.key, item.count);
      return row;
    }
    const run = item.run;
    row.className = 'jp-SpyglassRunsTable-row';
    row.dataset.runId = run.run_id;
    row.dataset.selected = String(this.selected.has(run.run_id));
    row.dataset.pinned = String(this.pinned.has(run.run_id));
    if (run.damaged !== null) row.dataset.damaged = run.damaged;
    row.classList.toggle('jp-mod-hovered', this.hovered === run.run_id);
    row.addEventListener('pointerenter', () => this.events.hover(run.run_id));

    const select = document.createElement('input');
    select.type = 'checkbox';
    select.className = 'jp-SpyglassRunsTable-select';
    select.checked = this.selected.has(run.run_id);
    select.title = text.select;
    select.style.accentColor = runColor(run.run_id);
    select.addEventListener('change', () => this.events.toggleSelect(run.run_id));

    const pin = document.createElement('button');
    pin.type = 'button';
    pin.className = 'jp-SpyglassRunsTable-pin';
    const isPinned = this.pinned.has(run.run_id);
    pin.textContent = isPinned ? '★' : '☆';
    pin.title = isPinned ? text.unpin : text.pin;
    pin.addEventListener('click', () => this.events.togglePin(run.run_id));

    const cells: HTMLElement[] = [select, pin];
    for (const column of this.columns) {
      const cell = document.createElement('span');
      cell.className = 'jp-SpyglassRunsTable-cell';
      cell.dataset.column = column.id;
      let value = cellText(column.value(run));
      if (column.id === 'created') value = formatCreated(run.created_at);
      if (column.id === 'duration') value = run.duration === null ? '' : formatDuration(run.duration);
      if (column.id === 'state' && run.damaged !== null) value = text.damaged(run.damaged);
      if (column.id === 'name') {
        const swatch = document.createElement('i');
        swatch.className = 'jp-SpyglassRunsTable-swatch';
        swatch.style.background = runColor(run.run_id);
        cell.append(swatch);
      }
      cell.append(value.length > MAX_CELL_CHARS ? `${value.slice(0, MAX_CELL_CHARS - 1)}…` : value);
      cell.title = value;
      cells.push(cell);
    }
    row.append(...cells);
    return row;
  }

  dispose(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.node.remove();
  }
}

function formatCreated(seconds: number | null): string {
  if (seconds === null) return '';
  const date = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
