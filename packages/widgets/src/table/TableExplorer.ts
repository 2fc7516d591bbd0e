import { Widget } from '@lumino/widgets';
import {
  AGGREGATE_FUNCTIONS,
  type Aggregate,
  type AggregateFunction,
  type CellValue,
  COMPARE_STATUS,
  changedFlag,
  compareTables,
  type ExportFormat,
  exportView,
  HIDDEN_PREFIX,
  isHidden,
  type ParquetCodec,
  parseMediaReference,
  parseQuickFilter,
  planView,
  type QuickFilter,
  releaseSource,
  type SortKey,
  type SqlEngine,
  sideName,
  summarizeColumn,
  type TableColumn,
  type TableSource,
  type TableView,
  type TableViewSpec,
  type ViewWindows,
  viewWindows,
} from '@spyglass/store';
import { describeError } from '../errors.js';
import { cellText, displayText, setCellText } from './cell-text.js';
import { button, copyText, download, el, select, setOptions } from './dom.js';
import { LinkedChart } from './LinkedChart.js';
import { renderMediaCell } from './media-cells.js';
import { BlobUrlCache, type MediaLoader } from './media-loader.js';
import { tableText } from './messages.js';
import { PreviewOverlay } from './PreviewOverlay.js';
import { SummaryPopover } from './SummaryPopover.js';
import { type GridColumn, VirtualGrid } from './VirtualGrid.js';

/** Another version of the same table (another step or run) the explorer can compare against. */
export interface TableVersion {
  label: string;
  load(): Promise<TableSource>;
}

export interface TableExplorerOptions {
  engine: SqlEngine;
  source: TableSource;
  codec: ParquetCodec;
  /** Fetches media files of the table's run; null when the table has no run directory. */
  media: MediaLoader | null;
  /** Label of this version in compare column names (e.g. "step 3"). */
  label?: string;
  /** Other versions to compare with, listed on demand. */
  versions?: () => Promise<TableVersion[]>;
  /** Base name of exported files. */
  fileName?: string;
  /**
   * Set while the source holds only the first rows of a larger table (shown at once while the rest is ingested):
   * the whole table's row count. The status says so and the query controls wait for the full table.
   */
  previewOf?: number;
}

const COMPARE_OFF = '';
const BY_POSITION = '';

/**
 * The table explorer: a virtualised grid over a DuckDB view with sort, quick filters, a WHERE box, an SQL box,
 * group by, column summaries, compare, export, cell copy and a chart of the selected rows. All cell values are
 * text nodes; media cells are thumbnails from blob URLs; html only ever appears sanitized in a sandboxed frame.
 */
export class TableExplorer extends Widget {
  readonly grid: VirtualGrid;
  private readonly engine: SqlEngine;
  private readonly base: TableSource;
  private source: TableSource;
  private spec: TableViewSpec = {};
  private view: TableView | null = null;
  /** Pages through `view`; its ordered temp table is dropped when the view changes or the explorer closes. */
  private windows: ViewWindows | null = null;
  private generation = 0;
  private readonly filters = new Map<string, QuickFilter>();
  private readonly blobs: BlobUrlCache;
  private readonly preview: PreviewOverlay;
  private readonly summary: SummaryPopover;
  private readonly chart: LinkedChart;
  private readonly status: HTMLDivElement;
  private readonly error: HTMLDivElement;
  private readonly whereInput: HTMLInputElement;
  private readonly sqlInput: HTMLTextAreaElement;
  private readonly groupSelect: HTMLSelectElement;
  private readonly aggregateSelect: HTMLSelectElement;
  private readonly compareSelect: HTMLSelectElement;
  private readonly keySelect: HTMLSelectElement;
  private readonly copyButton: HTMLButtonElement;
  private versions: TableVersion[] = [];
  private compared: TableSource | null = null;
  private focusedValue: CellValue | undefined;
  private readonly selectedRows = new Map<number, readonly CellValue[]>();
  private anchor: number | null = null;
  /** Milliseconds the last view change took until its row count was known (the benchmark reads it). */
  lastQueryMs = 0;

  constructor(private readonly options: TableExplorerOptions) {
    super();
    this.addClass('sg-table-explorer');
    const doc = this.node.ownerDocument;
    this.engine = options.engine;
    this.base = options.source;
    this.source = options.source;
    this.blobs = new BlobUrlCache(options.media);
    this.preview = new PreviewOverlay(doc, this.blobs);
    this.summary = new SummaryPopover(doc, this.blobs, this.preview);
    this.chart = new LinkedChart(doc);
    this.grid = new VirtualGrid(doc, {
      rowClicked: (index, row, event) => this.toggleRow(index, row, event),
      cellFocused: (_, __, value) => {
        this.focusedValue = value;
        this.copyButton.disabled = false;
      },
      error: (error) => this.showError(error),
    });

    this.whereInput = el(doc, 'input', 'sg-table-where');
    this.whereInput.placeholder = tableText.wherePlaceholder;
    this.whereInput.addEventListener('keydown', (e) => e.key === 'Enter' && this.runWhere());
    this.sqlInput = el(doc, 'textarea', 'sg-table-sql');
    this.sqlInput.placeholder = tableText.sqlPlaceholder;
    this.sqlInput.rows = 1;
    this.sqlInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || e.shiftKey)) {
        e.preventDefault();
        this.runSql();
      }
    });
    this.groupSelect = select(doc, [], 'sg-table-groupby');
    this.groupSelect.addEventListener('change', () => this.applyGroup());
    this.aggregateSelect = select(
      doc,
      AGGREGATE_FUNCTIONS.filter((f) => f !== 'count').map((f) => [f, f]),
      'sg-table-aggregate',
    );
    this.aggregateSelect.addEventListener('change', () => this.applyGroup());
    this.compareSelect = select(doc, [[COMPARE_OFF, tableText.compareOff]], 'sg-table-compare');
    this.compareSelect.addEventListener('focus', () => this.listVersions(), { once: true });
    this.compareSelect.addEventListener('change', () => this.applyCompare());
    this.keySelect = select(doc, [[BY_POSITION, tableText.byPosition]], 'sg-table-compare-key');
    this.keySelect.addEventListener('change', () => this.applyCompare());
    this.copyButton = button(doc, tableText.copyCell, () => this.copyFocused());
    this.copyButton.disabled = true;

    const label = (text: string, ...controls: HTMLElement[]) => {
      const group = el(doc, 'label', 'sg-table-control');
      group.append(el(doc, 'span', 'sg-table-control-label', text), ...controls);
      return group;
    };
    const queryBar = el(doc, 'div', 'sg-table-toolbar');
    queryBar.append(
      label(tableText.where, this.whereInput),
      button(doc, tableText.run, () => this.runWhere()),
      label(tableText.sql, this.sqlInput),
      button(doc, tableText.run, () => this.runSql()),
      button(doc, tableText.clear, () => this.clearQueries()),
    );
    const toolsBar = el(doc, 'div', 'sg-table-toolbar');
    toolsBar.append(
      label(tableText.groupBy, this.groupSelect),
      label(tableText.aggregate, this.aggregateSelect),
      label(tableText.compare, this.compareSelect),
      label(tableText.compareKey, this.keySelect),
      button(doc, tableText.exportCsv, () => this.export('csv')),
      button(doc, tableText.exportParquet, () => this.export('parquet')),
      this.copyButton,
    );
    this.status = el(doc, 'div', 'sg-table-status');
    this.error = el(doc, 'div', 'sg-table-error');
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    const gridWrap = el(doc, 'div', 'sg-table-gridwrap');
    gridWrap.append(this.grid.node, this.summary.node);
    this.node.append(
      queryBar,
      toolsBar,
      this.error,
      gridWrap,
      this.status,
      this.chart.node,
      this.preview.node,
    );
    this.grid.node.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 'c') this.copyFocused();
    });
    this.resetControls();
    if (options.previewOf !== undefined) {
      this.node.dataset.preview = 'true';
      for (const control of this.node.querySelectorAll<HTMLInputElement>('input, select, textarea, button')) {
        control.disabled = true;
      }
    }
    void this.apply();
  }

  /** The current planned view (tests and the benchmark read its count and columns). */
  get currentView(): TableView | null {
    return this.view;
  }

  /** Sets the sort (one key, or none) and re-queries. */
  sortBy(column: string | null, descending = false): Promise<void> {
    this.spec = { ...this.spec, sort: column ? [{ column, descending }] : [] };
    return this.apply();
  }

  /** Sets a column's quick filter from text as typed in its filter box. */
  filter(column: string, text: string): Promise<void> {
    const info = this.queryColumns().find((c) => c.name === column);
    if (!info) return Promise.resolve();
    try {
      const parsed = parseQuickFilter(info, text);
      if (parsed) this.filters.set(column, parsed);
      else this.filters.delete(column);
    } catch (error) {
      this.showError(error);
      return Promise.resolve();
    }
    this.spec = { ...this.spec, filters: [...this.filters.values()] };
    return this.apply();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.generation++;
    this.grid.dispose();
    this.chart.dispose();
    this.summary.close();
    this.preview.dispose();
    this.blobs.dispose();
    void this.windows?.dispose();
    this.windows = null;
    if (this.compared) void releaseSource(this.engine, this.compared);
    super.dispose();
  }

  /** Plans the current spec and shows it; a failure leaves the previous rows and shows DuckDB's message. */
  private async apply(): Promise<void> {
    const generation = ++this.generation;
    const started = performance.now();
    this.node.dataset.state = 'querying';
    let view: TableView;
    try {
      view = await planView(this.engine, this.source, this.spec);
    } catch (error) {
      if (generation === this.generation) {
        this.showError(error);
        this.node.dataset.state = 'ready';
      }
      return;
    }
    if (generation !== this.generation) return;
    this.lastQueryMs = performance.now() - started;
    this.error.hidden = true;
    this.view = view;
    void this.windows?.dispose();
    const windows = viewWindows(this.engine, view);
    this.windows = windows;
    this.selectedRows.clear();
    this.anchor = null;
    const shown = view.columns.filter((c) => !isHidden(c.name));
    const names = view.columns.map((c) => c.name);
    const gridColumns: GridColumn[] = shown.map((c) => ({
      name: c.name,
      numeric: c.kind === 'number',
      width: c.kind === 'number' ? 110 : c.kind === 'boolean' ? 70 : 180,
    }));
    const indexOf = new Map(names.map((n, i) => [n, i]));
    // In compare mode each side's column is flagged by the hidden changed-column of its base name.
    const flags = this.compareFlags(names);
    const statusIndex = indexOf.get(COMPARE_STATUS);
    this.grid.setSource({
      count: view.count,
      columns: gridColumns,
      // Full rows (hidden columns too): cells are rendered by name below.
      fetch: (offset, limit, isWanted) => windows.fetch(offset, limit, isWanted),
      renderCell: (cell, _value, column, row) => {
        const index = indexOf.get(column.name) ?? -1;
        this.renderCell(cell, row[index] ?? null, column.name);
        const flag = flags.get(column.name);
        if (flag !== undefined && row[flag] === true) cell.classList.add('sg-changed');
      },
      rowClass: (row) => (statusIndex !== undefined ? `sg-status-${String(row[statusIndex])}` : null),
    });
    this.renderHeader(shown);
    this.chart.setColumns(shown, names);
    this.updateStatus();
    this.node.dataset.state = 'ready';
  }

  private compareFlags(names: string[]): Map<string, number> {
    const flags = new Map<string, number>();
    const prefix = changedFlag('');
    names.forEach((name, i) => {
      if (!name.startsWith(prefix)) return;
      const base = name.slice(prefix.length);
      for (const label of this.compareLabels()) flags.set(sideName(base, label), i);
    });
    return flags;
  }

  private compareLabels(): [string, string] {
    return [this.options.label ?? 'A', this.compareSelect.selectedOptions[0]?.textContent ?? 'B'];
  }

  private renderCell(cell: HTMLElement, value: CellValue, column: string): void {
    if (value === null) {
      cell.classList.add('sg-null');
      cell.replaceChildren();
      return;
    }
    if (typeof value === 'string') {
      const media = parseMediaReference(value);
      if (media) {
        renderMediaCell(cell, media, this.blobs, (m) => this.preview.showMedia(m));
        return;
      }
    }
    const shown = displayText(value);
    setCellText(cell, shown.text);
    cell.title = shown.truncated
      ? tableText.truncated(shown.length)
      : shown.text.length > 20
        ? shown.text
        : '';
    if (shown.truncated) {
      // Before the text: the cell clips its overflow, and the text of a long value always overflows.
      const expand = button(
        cell.ownerDocument,
        '…',
        () => this.preview.showText(column, cellText(value)),
        'sg-table-expand',
      );
      expand.title = tableText.expand;
      cell.prepend(expand);
    }
  }

  private renderHeader(columns: TableColumn[]): void {
    const doc = this.node.ownerDocument;
    const sort = this.spec.sort?.[0];
    const titles = el(doc, 'div', 'sg-grid-header-row');
    const filters = el(doc, 'div', 'sg-grid-header-row sg-grid-filters');
    titles.append(el(doc, 'div', 'sg-grid-rownum', '#'));
    filters.append(el(doc, 'div', 'sg-grid-rownum'));
    const filterable = new Set(this.queryColumns().map((c) => c.name));
    let left = 48;
    for (const column of columns) {
      const width = column.kind === 'number' ? 110 : column.kind === 'boolean' ? 70 : 180;
      const head = el(doc, 'div', 'sg-grid-head');
      head.style.width = `${width}px`;
      head.dataset.column = column.name;
      const name = el(doc, 'span', 'sg-grid-head-name');
      setCellText(name, column.name);
      name.title = `${column.name} (${column.sqlType})`;
      const arrow = sort?.column === column.name ? (sort.descending ? ' ▼' : ' ▲') : '';
      const sortButton = button(
        doc,
        arrow || '↕',
        () => this.cycleSort(column.name),
        'sg-table-icon sg-sort',
      );
      const at = left;
      const summaryButton = button(
        doc,
        'Σ',
        () => this.showSummary(column.name, at),
        'sg-table-icon sg-summary-button',
      );
      summaryButton.title = tableText.summary;
      head.append(name, sortButton, summaryButton);
      titles.append(head);
      const cell = el(doc, 'div', 'sg-grid-head');
      cell.style.width = `${width}px`;
      if (filterable.has(column.name) && !this.spec.groupBy) {
        const input = el(doc, 'input', 'sg-grid-filter');
        input.disabled = this.options.previewOf !== undefined;
        input.placeholder = tableText.filterPlaceholder(column.kind);
        input.dataset.column = column.name;
        input.value = this.filterText(column.name);
        let timer: ReturnType<typeof setTimeout> | undefined;
        input.addEventListener('input', () => {
          clearTimeout(timer);
          timer = setTimeout(() => void this.filter(column.name, input.value), 250);
        });
        input.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') {
            clearTimeout(timer);
            void this.filter(column.name, input.value);
          }
        });
        cell.append(input);
      }
      filters.append(cell);
      left += width;
    }
    this.grid.header.replaceChildren(titles, filters);
  }

  private filterText(column: string): string {
    const f = this.filters.get(column);
    if (!f) return '';
    if (f.op === 'contains') return f.text;
    if (f.op === 'equals') return typeof f.value === 'string' ? `=${f.value}` : String(f.value);
    if (f.min !== undefined && f.max !== undefined) return `${f.min}..${f.max}`;
    if (f.min !== undefined) return `${f.minExclusive ? '>' : '>='}${f.min}`;
    return `${f.maxExclusive ? '<' : '<='}${f.max}`;
  }

  private cycleSort(column: string): void {
    const current: SortKey | undefined = this.spec.sort?.[0];
    if (current?.column !== column) void this.sortBy(column, false);
    else if (!current.descending) void this.sortBy(column, true);
    else void this.sortBy(null);
  }

  private async showSummary(column: string, left: number): Promise<void> {
    const view = this.view;
    if (!view) return;
    this.summary.loading(column, left - this.grid.node.scrollLeft);
    const grouped = !!this.spec.groupBy;
    try {
      const summary = await summarizeColumn(
        this.engine,
        grouped ? view.relation : view.filtered,
        grouped ? view.columns : view.filteredColumns,
        column,
      );
      this.summary.show(summary, left - this.grid.node.scrollLeft);
    } catch (error) {
      this.summary.failed(column, error);
    }
  }

  /** Columns that quick filters and WHERE address: the rows before grouping. */
  private queryColumns(): TableColumn[] {
    return (this.view?.filteredColumns ?? this.source.columns).filter((c) => !isHidden(c.name));
  }

  private runWhere(): void {
    this.spec = { ...this.spec, where: this.whereInput.value.trim() || null };
    void this.apply();
  }

  private runSql(): void {
    this.filters.clear();
    this.spec = { sql: this.sqlInput.value.trim() || null };
    this.whereInput.value = '';
    this.groupSelect.value = '';
    void this.apply();
  }

  private clearQueries(): void {
    this.filters.clear();
    this.whereInput.value = '';
    this.sqlInput.value = '';
    this.groupSelect.value = '';
    this.spec = {};
    void this.apply();
  }

  private applyGroup(): void {
    const key = this.groupSelect.value;
    if (!key) {
      this.spec = { ...this.spec, groupBy: null, sort: [] };
      void this.apply();
      return;
    }
    const fn = this.aggregateSelect.value as AggregateFunction;
    const numeric = this.queryColumns().filter((c) => c.kind === 'number' && c.name !== key);
    const aggregates: Aggregate[] = [
      { fn: 'count' },
      ...numeric.slice(0, 6).map((c) => ({ fn, column: c.name })),
    ];
    this.spec = { ...this.spec, groupBy: { columns: [key], aggregates }, sort: [] };
    void this.apply();
  }

  private async listVersions(): Promise<void> {
    if (!this.options.versions) return;
    try {
      this.versions = await this.options.versions();
    } catch (error) {
      this.showError(error);
      return;
    }
    setOptions(this.compareSelect, [
      [COMPARE_OFF, tableText.compareOff],
      ...this.versions.map((v, i): [string, string] => [String(i), v.label]),
    ]);
  }

  private async applyCompare(): Promise<void> {
    const choice = this.compareSelect.value;
    if (this.compared) {
      await releaseSource(this.engine, this.compared);
      this.compared = null;
    }
    this.filters.clear();
    this.spec = {};
    if (choice === COMPARE_OFF) {
      this.source = this.base;
      await this.apply();
      return;
    }
    const version = this.versions[Number(choice)];
    if (!version) return;
    this.status.textContent = tableText.compareLoading;
    try {
      const other = await version.load();
      this.compared = await compareTables(this.engine, this.base, other, {
        key: this.keySelect.value || null,
        labels: this.compareLabels(),
      });
      this.source = this.compared;
    } catch (error) {
      this.showError(error);
      return;
    }
    await this.apply();
  }

  private resetControls(): void {
    const visible = this.base.columns.filter((c) => !c.name.startsWith(HIDDEN_PREFIX));
    setOptions(this.groupSelect, [
      ['', tableText.none],
      ...visible.map((c): [string, string] => [c.name, c.name]),
    ]);
    setOptions(this.keySelect, [
      [BY_POSITION, tableText.byPosition],
      ...visible.map((c): [string, string] => [c.name, c.name]),
    ]);
  }

  private toggleRow(index: number, row: readonly CellValue[], event: MouseEvent): void {
    if (event.shiftKey && this.anchor !== null) {
      const [a, b] = this.anchor < index ? [this.anchor, index] : [index, this.anchor];
      for (let i = a; i <= b && this.selectedRows.size < 10_000; i++) {
        const r = this.grid.row(i);
        if (r) this.selectedRows.set(i, r);
      }
    } else if (this.selectedRows.has(index)) {
      this.selectedRows.delete(index);
    } else {
      this.selectedRows.set(index, row);
    }
    this.anchor = index;
    this.grid.setSelection(this.selectedRows.keys());
    this.chart.setRows([...this.selectedRows.values()]);
    this.updateStatus();
  }

  private async copyFocused(): Promise<void> {
    if (this.focusedValue === undefined) return;
    await copyText(this.node.ownerDocument, cellText(this.focusedValue));
    this.copyButton.textContent = tableText.copied;
    setTimeout(() => {
      this.copyButton.textContent = tableText.copyCell;
    }, 1200);
  }

  private async export(format: ExportFormat): Promise<void> {
    const view = this.view;
    if (!view) return;
    try {
      const bytes = await exportView(this.engine, view, format, this.options.codec);
      const type = format === 'csv' ? 'text/csv' : 'application/vnd.apache.parquet';
      download(this.node.ownerDocument, bytes, `${this.options.fileName ?? 'table'}.${format}`, type);
    } catch (error) {
      this.showError(error);
    }
  }

  private updateStatus(): void {
    if (this.options.previewOf !== undefined) {
      this.status.textContent = tableText.preview(this.source.nrows, this.options.previewOf);
      return;
    }
    const parts = [tableText.rows(this.view?.count ?? 0, this.source.nrows)];
    if (this.selectedRows.size) parts.push(tableText.selection(this.selectedRows.size));
    this.status.textContent = parts.join(' · ');
  }

  private showError(error: unknown): void {
    this.error.hidden = false;
    this.error.textContent = tableText.queryFailed(describeError(error));
  }
}
