import { cellText, formatDuration, type RunColumn, type TableRun } from '@spyglass/charts';
import { workspaceMessages as text } from './workspace-messages.js';

const MAX_CELL_CHARS = 60;

export interface RunRowEvents {
  toggleSelect(runId: string): void;
  togglePin(runId: string): void;
  hover(runId: string | null): void;
  /** The run's colour in the workspace's charts. */
  colorOf(runId: string): string;
}

/** How the table shows a row besides its run's values. */
export interface RunRowState {
  top: number;
  template: string;
  selected: boolean;
  pinned: boolean;
  hovered: boolean;
}

/**
 * One run's row, kept while the run stays in view and updated in place. A live run changes its duration and
 * summary every poll; rebuilding the row would swap the checkbox or pin under a press and lose the click.
 */
export class RunRow {
  readonly node = document.createElement('div');
  private readonly select = document.createElement('input');
  private readonly pin = document.createElement('button');
  private cells: { id: string; text: Text; cell: HTMLElement }[] = [];
  private swatch: HTMLElement | null = null;

  constructor(
    readonly runId: string,
    private readonly events: RunRowEvents,
  ) {
    this.node.className = 'jp-SpyglassRunsTable-row';
    this.node.setAttribute('role', 'row');
    this.node.dataset.runId = runId;
    this.node.addEventListener('pointerenter', () => events.hover(runId));
    this.select.type = 'checkbox';
    this.select.className = 'jp-SpyglassRunsTable-select';
    this.select.title = text.select;
    // The row is the tab stop (roving tabindex); its controls are reached by click or Enter/Space on the row.
    this.select.tabIndex = -1;
    this.select.addEventListener('change', () => events.toggleSelect(runId));
    this.pin.type = 'button';
    this.pin.className = 'jp-SpyglassRunsTable-pin';
    this.pin.tabIndex = -1;
    this.pin.addEventListener('click', () => events.togglePin(runId));
    this.node.append(this.select, this.pin);
  }

  update(run: TableRun, columns: readonly RunColumn[], state: RunRowState): void {
    const style = this.node.style;
    if (style.top !== `${state.top}px`) style.top = `${state.top}px`;
    if (style.gridTemplateColumns !== state.template) style.gridTemplateColumns = state.template;
    this.node.dataset.selected = String(state.selected);
    this.node.setAttribute('aria-selected', String(state.selected));
    const name = run.name ?? run.run_id;
    this.select.setAttribute('aria-label', text.selectRun(name));
    this.node.dataset.pinned = String(state.pinned);
    if (run.damaged !== null) this.node.dataset.damaged = run.damaged;
    else delete this.node.dataset.damaged;
    this.node.classList.toggle('jp-mod-hovered', state.hovered);
    if (this.select.checked !== state.selected) this.select.checked = state.selected;
    const pinText = state.pinned ? '★' : '☆';
    if (this.pin.textContent !== pinText) this.pin.textContent = pinText;
    this.pin.title = state.pinned ? text.unpin : text.pin;
    this.pin.setAttribute('aria-label', `${this.pin.title}: ${name}`);
    this.pin.setAttribute('aria-pressed', String(state.pinned));
    if (this.cells.map((c) => c.id).join('\0') !== columns.map((c) => c.id).join('\0')) {
      this.buildCells(columns);
    }
    const color = this.events.colorOf(this.runId);
    if (this.select.style.accentColor !== color) this.select.style.accentColor = color;
    if (this.swatch && this.swatch.style.background !== color) this.swatch.style.background = color;
    for (const [i, column] of columns.entries()) {
      const value = displayValue(run, column);
      const shown = value.length > MAX_CELL_CHARS ? `${value.slice(0, MAX_CELL_CHARS - 1)}…` : value;
      const { text: node, cell } = this.cells[i];
      if (node.data !== shown) node.data = shown;
      if (cell.title !== value) cell.title = value;
    }
  }

  private buildCells(columns: readonly RunColumn[]): void {
    for (const { cell } of this.cells) cell.remove();
    this.swatch = null;
    this.cells = columns.map((column) => {
      const cell = document.createElement('span');
      cell.className = 'jp-SpyglassRunsTable-cell';
      cell.setAttribute('role', 'gridcell');
      cell.dataset.column = column.id;
      if (column.id === 'name') {
        const swatch = document.createElement('i');
        swatch.className = 'jp-SpyglassRunsTable-swatch';
        this.swatch = swatch;
        cell.append(swatch);
      }
      const node = document.createTextNode('');
      cell.append(node);
      return { id: column.id, text: node, cell };
    });
    this.node.append(...this.cells.map((c) => c.cell));
  }
}

/** The text a column shows for a run: times and durations formatted, a damaged run's reason in its state. */
function displayValue(run: TableRun, column: RunColumn): string {
  if (column.id === 'created') return formatCreated(run.created_at);
  if (column.id === 'duration') return run.duration === null ? '' : formatDuration(run.duration);
  if (column.id === 'state' && run.damaged !== null) return text.damaged(run.damaged);
  return cellText(column.value(run));
}

/** A run's creation time (unix seconds) as local `YYYY-MM-DD HH:MM`. */
export function formatCreated(seconds: number | null): string {
  if (seconds === null) return '';
  const date = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
