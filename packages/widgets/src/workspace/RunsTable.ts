import type { RunColumn, TableRun, TableView } from '@spyglass/charts';
import { RunRow, type RunRowEvents } from './runs-table-row.js';
import { workspaceMessages as text } from './workspace-messages.js';

/** Pixel height of one row; fixed so that only the rows in view need to exist in the DOM. */
export const ROW_HEIGHT = 26;
const OVERSCAN = 8;

export interface RunsTableEvents extends RunRowEvents {
  sort(column: string): void;
}

type Item = { kind: 'group'; key: string; count: number } | { kind: 'run'; run: TableRun };

/**
 * The runs table: a sticky header and virtualised rows (only those in view, plus a few, are in the DOM, so
 * thousands of runs scroll smoothly). Every cell is set as text. Rows carry data-run-id, data-selected,
 * data-pinned and data-damaged for tests and styling. Rows and header cells in view are reused across updates
 * (a live run re-renders the table every poll), so a press is never split across two nodes.
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
  private headerKey = '';
  private frame = 0;
  private readonly runRows = new Map<string, RunRow>();
  private readonly groupRows = new Map<string, HTMLElement>();

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
    const key = JSON.stringify([this.template, this.sort, this.columns.map((c) => [c.id, c.label, c.kind])]);
    if (key === this.headerKey) return;
    this.headerKey = key;
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
    const runs = new Set<string>();
    const groups = new Set<string>();
    let previous: HTMLElement | null = null;
    for (let i = first; i < last; i++) {
      const item = this.items[i];
      let node: HTMLElement;
      if (item.kind === 'group') {
        groups.add(item.key);
        node = this.groupRow(item.key, item.count, i);
      } else {
        runs.add(item.run.run_id);
        node = this.runRow(item.run, i);
      }
      // Move a node only when it is out of order, so the rows that stay are never detached.
      const before: ChildNode | null = previous ? previous.nextSibling : this.rowsNode.firstChild;
      if (before !== node) this.rowsNode.insertBefore(node, before);
      previous = node;
    }
    for (const [id, row] of this.runRows) if (!runs.has(id)) this.dropRow(this.runRows, id, row.node);
    for (const [key, row] of this.groupRows) if (!groups.has(key)) this.dropRow(this.groupRows, key, row);
  }

  private runRow(run: TableRun, index: number): HTMLElement {
    let row = this.runRows.get(run.run_id);
    if (!row) {
      row = new RunRow(run.run_id, this.events);
      this.runRows.set(run.run_id, row);
    }
    row.update(run, this.columns, {
      top: index * ROW_HEIGHT,
      template: this.template,
      selected: this.selected.has(run.run_id),
      pinned: this.pinned.has(run.run_id),
      hovered: this.hovered === run.run_id,
    });
    return row.node;
  }

  private groupRow(key: string, count: number, index: number): HTMLElement {
    let row = this.groupRows.get(key);
    if (!row) {
      row = document.createElement('div');
      row.className = 'jp-SpyglassRunsTable-group';
      row.dataset.group = key;
      this.groupRows.set(key, row);
    }
    row.style.top = `${index * ROW_HEIGHT}px`;
    row.style.gridTemplateColumns = this.template;
    row.textContent = text.group(key, count);
    return row;
  }

  private dropRow<T>(rows: Map<string, T>, key: string, node: HTMLElement): void {
    node.remove();
    rows.delete(key);
  }

  dispose(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.node.remove();
  }
}
