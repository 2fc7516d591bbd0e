import {
  headerAccessibleName,
  headerBands,
  type RunColumn,
  type TableRun,
  type TableView,
} from '@spyglass/charts';
import { button, el } from '../dom.js';
import { rowAfterKey } from '../row-keys.js';
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
 * (a live run re-renders the table every poll), so a press is never split across two nodes. A group row above the
 * labels says which are config keys and which summary metrics. Keyboard: one row is in the tab order (roving
 * tabindex); arrows, Page Up/Down, Home and End move it, Enter or Space selects its run.
 */
export class RunsTable {
  readonly node: HTMLElement;
  private readonly bands = el(document, 'div', 'jp-SpyglassRunsTable-bands');
  private readonly header = el(document, 'div', 'jp-SpyglassRunsTable-header');
  private readonly viewport = el(document, 'div', 'jp-SpyglassRunsTable-viewport');
  private readonly spacer = el(document, 'div', 'jp-SpyglassRunsTable-spacer');
  private readonly rowsNode = el(document, 'div', 'jp-SpyglassRunsTable-rows');
  private items: Item[] = [];
  private columns: RunColumn[] = [];
  private selected = new Set<string>();
  private pinned = new Set<string>();
  private hovered: string | null = null;
  private sort: { column: string; descending: boolean } | null = null;
  private template = '';
  private headerKey = '';
  /** The run whose row is in the tab order (null: the first one). */
  private active: string | null = null;
  private frame = 0;
  private readonly runRows = new Map<string, RunRow>();
  private readonly groupRows = new Map<string, HTMLElement>();

  constructor(private readonly events: RunsTableEvents) {
    this.node = el(document, 'div', 'jp-SpyglassRunsTable');
    this.node.setAttribute('role', 'grid');
    this.node.setAttribute('aria-label', text.runsTable);
    this.bands.setAttribute('role', 'row');
    this.bands.setAttribute('aria-rowindex', '1');
    this.header.setAttribute('role', 'row');
    this.header.setAttribute('aria-rowindex', '2');
    this.spacer.append(this.rowsNode);
    this.viewport.append(this.spacer);
    this.rowsNode.setAttribute('role', 'rowgroup');
    this.node.append(this.bands, this.header, this.viewport);
    this.viewport.addEventListener('scroll', () => this.scheduleRows());
    this.rowsNode.addEventListener('keydown', (event) => this.onKey(event));
    this.rowsNode.addEventListener('focusin', (event) => {
      const row = (event.target as HTMLElement).closest<HTMLElement>('.jp-SpyglassRunsTable-row');
      if (row?.dataset.runId && row.dataset.runId !== this.active) this.setActive(row.dataset.runId);
    });
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
    // Header rows are 1 and 2; item i is row i + 3.
    this.node.setAttribute('aria-rowcount', String(this.items.length + 2));
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

  /** The run ids in row order (group rows are not focusable). */
  private runOrder(): string[] {
    return this.items.flatMap((i) => (i.kind === 'run' ? [i.run.run_id] : []));
  }

  private activeRun(): string | null {
    const order = this.runOrder();
    return this.active !== null && order.includes(this.active) ? this.active : (order[0] ?? null);
  }

  private setActive(runId: string): void {
    this.active = runId;
    for (const [id, row] of this.runRows) row.node.tabIndex = id === runId ? 0 : -1;
  }

  private onKey(event: KeyboardEvent): void {
    const current = this.activeRun();
    if (current === null) return;
    if (event.key === 'Enter' || event.key === ' ') {
      if ((event.target as HTMLElement).closest('input, button')) return; // the control handles its own key
      event.preventDefault();
      this.events.toggleSelect(current);
      return;
    }
    const order = this.runOrder();
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const next = rowAfterKey(event.key, order.indexOf(current), order.length, page);
    if (next === null) return;
    event.preventDefault();
    const runId = order[next];
    this.setActive(runId);
    this.scrollTo(runId);
    this.renderRows();
    this.runRows.get(runId)?.node.focus({ preventScroll: true });
  }

  private renderHeader(): void {
    const key = JSON.stringify([this.template, this.sort, this.columns.map((c) => [c.id, c.label, c.kind])]);
    if (key === this.headerKey) return;
    this.headerKey = key;
    this.renderBands();
    const cells: HTMLElement[] = ['', ''].map(() => el(document, 'span'));
    for (const column of this.columns) {
      const arrow = this.sort?.column === column.id ? (this.sort.descending ? ' ▼' : ' ▲') : '';
      const cell = button(
        document,
        `${column.label}${arrow}`,
        () => this.events.sort(column.id),
        'jp-SpyglassRunsTable-sort',
      );
      cell.dataset.column = column.id;
      cell.title = column.kind === 'run' ? column.label : `${column.kind}: ${column.label}`;
      cell.setAttribute('role', 'columnheader');
      cell.setAttribute('aria-label', headerAccessibleName(column));
      cell.setAttribute(
        'aria-sort',
        this.sort?.column === column.id ? (this.sort.descending ? 'descending' : 'ascending') : 'none',
      );
      cell.classList.add(`jp-mod-${column.kind}`);
      cells.push(cell);
    }
    this.header.style.gridTemplateColumns = this.template;
    this.header.replaceChildren(...cells);
  }

  /** The group row: Run / Config / Summary over their columns (after the select and pin columns). */
  private renderBands(): void {
    const bands = headerBands(this.columns);
    this.bands.hidden = bands.every((b) => b.kind === 'run');
    this.bands.style.gridTemplateColumns = this.template;
    this.bands.replaceChildren(
      ...bands.map((band) => {
        const cell = el(document, 'span', `jp-SpyglassRunsTable-band jp-mod-${band.kind}`, band.label);
        cell.dataset.kind = band.kind;
        cell.dataset.start = String(band.start);
        cell.dataset.span = String(band.span);
        cell.setAttribute('role', 'columnheader');
        cell.setAttribute('aria-colspan', String(band.span));
        cell.style.gridColumn = `${band.start + 3} / span ${band.span}`;
        return cell;
      }),
    );
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
    const active = this.activeRun();
    for (let i = first; i < last; i++) {
      const item = this.items[i];
      let node: HTMLElement;
      if (item.kind === 'group') {
        groups.add(item.key);
        node = this.groupRow(item.key, item.count, i);
      } else {
        runs.add(item.run.run_id);
        node = this.runRow(item.run, i, active);
      }
      // Move a node only when it is out of order, so the rows that stay are never detached.
      const before: ChildNode | null = previous ? previous.nextSibling : this.rowsNode.firstChild;
      if (before !== node) this.rowsNode.insertBefore(node, before);
      previous = node;
    }
    for (const [id, row] of this.runRows) if (!runs.has(id)) this.dropRow(this.runRows, id, row.node);
    for (const [key, row] of this.groupRows) if (!groups.has(key)) this.dropRow(this.groupRows, key, row);
  }

  private runRow(run: TableRun, index: number, active: string | null): HTMLElement {
    let row = this.runRows.get(run.run_id);
    if (!row) {
      row = new RunRow(run.run_id, this.events);
      this.runRows.set(run.run_id, row);
    }
    row.node.setAttribute('aria-rowindex', String(index + 3));
    row.node.tabIndex = run.run_id === active ? 0 : -1;
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
      row = el(document, 'div', 'jp-SpyglassRunsTable-group');
      row.setAttribute('role', 'row');
      row.dataset.group = key;
      this.groupRows.set(key, row);
    }
    row.style.top = `${index * ROW_HEIGHT}px`;
    row.setAttribute('aria-rowindex', String(index + 3));
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
