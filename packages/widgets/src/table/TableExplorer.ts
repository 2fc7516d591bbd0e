import { Widget } from '@lumino/widgets';
import {
  type CellValue,
  type ExportFormat,
  exportView,
  type ParquetCodec,
  planView,
  type SqlEngine,
  summarizeColumn,
  type TableColumn,
  type TableSource,
  type TableView,
  type ViewWindows,
  viewWindows,
} from '@spyglass/store';
import { copyText, download, el } from '../dom.js';
import { cellText } from './cell-text.js';
import { ExplorerStatus } from './ExplorerStatus.js';
import { ExplorerToolbar } from './ExplorerToolbar.js';
import { ROW_SIZES } from './grid-geometry.js';
import { gridHeaderRows } from './grid-header.js';
import { LinkedChart } from './LinkedChart.js';
import { BlobUrlCache, type MediaLoader } from './media-loader.js';
import { tableText } from './messages.js';
import { PreviewOverlay } from './PreviewOverlay.js';
import { QueryState } from './QueryState.js';
import { RowSelection } from './RowSelection.js';
import { SummaryPopover } from './SummaryPopover.js';
import { TableCompare, type TableVersion } from './TableCompare.js';
import { ThumbHover } from './ThumbHover.js';
import { VirtualGrid } from './VirtualGrid.js';
import { renderValueCell } from './value-cell.js';
import { shownColumns, viewGridSource } from './view-grid.js';

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
  private readonly query = new QueryState();
  private view: TableView | null = null;
  /** Pages through `view`; its ordered temp table is dropped when the view changes or the explorer closes. */
  private windows: ViewWindows | null = null;
  private generation = 0;
  private readonly compare: TableCompare;
  private readonly blobs: BlobUrlCache;
  private readonly preview: PreviewOverlay;
  private readonly hover: ThumbHover;
  private readonly summary: SummaryPopover;
  private readonly chart: LinkedChart;
  private readonly toolbar: ExplorerToolbar;
  private readonly status: ExplorerStatus;
  private focusedValue: CellValue | undefined;
  private readonly selection = new RowSelection();
  /** Milliseconds the last view change took until its row count was known (the benchmark reads it). */
  lastQueryMs = 0;

  constructor(private readonly options: TableExplorerOptions) {
    super();
    this.addClass('sg-table-explorer');
    const doc = this.node.ownerDocument;
    this.engine = options.engine;
    this.base = options.source;
    this.source = options.source;
    this.compare = new TableCompare(options.engine, options.source, options.versions);
    this.blobs = new BlobUrlCache(options.media);
    this.preview = new PreviewOverlay(doc, this.blobs);
    this.hover = new ThumbHover(doc, this.blobs, this.node);
    this.summary = new SummaryPopover(doc, this.blobs, this.preview);
    this.chart = new LinkedChart(doc);
    this.grid = new VirtualGrid(doc, {
      rowClicked: (index, row, event) => this.toggleRow(index, row, event),
      cellFocused: (_, __, value) => {
        this.focusedValue = value;
        this.toolbar.enableCopy();
      },
      error: (error) => this.status.showError(error),
    });
    this.toolbar = new ExplorerToolbar(doc, {
      runWhere: () => this.runWhere(),
      runSql: () => this.runSql(),
      clearQueries: () => this.clearQueries(),
      applyGroup: () => this.applyGroup(),
      listVersions: () => void this.listVersions(),
      applyCompare: () => void this.applyCompare(),
      export: (format) => void this.export(format),
      copyFocused: () => void this.copyFocused(),
      // Kept by the grid across every later query of this explorer.
      setRowSize: (size) => this.grid.setRowHeight(ROW_SIZES[size]),
    });

    this.status = new ExplorerStatus(doc);
    const gridWrap = el(doc, 'div', 'sg-table-gridwrap');
    gridWrap.append(this.grid.node, this.summary.node);
    this.node.append(
      this.toolbar.queryBar,
      this.toolbar.toolsBar,
      this.status.alert,
      gridWrap,
      this.status.line,
      this.chart.node,
      this.preview.node,
      this.hover.node,
    );
    // A scrolled-away thumbnail gets no mouseleave; its hover image goes with the scroll.
    this.grid.node.addEventListener('scroll', () => this.hover.hide(), { passive: true });
    this.grid.node.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 'c') this.copyFocused();
    });
    this.toolbar.setColumns(shownColumns(this.base.columns));
    if (options.source.decoder) this.node.dataset.decoder = options.source.decoder;
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
    this.query.sortBy(column, descending);
    return this.apply();
  }

  /** Sets a column's quick filter from text as typed in its filter box. */
  filter(column: string, text: string): Promise<void> {
    const info = this.queryColumns().find((c) => c.name === column);
    if (!info) return Promise.resolve();
    try {
      this.query.setFilter(info, text);
    } catch (error) {
      this.status.showError(error);
      return Promise.resolve();
    }
    return this.apply();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.generation++;
    this.grid.dispose();
    this.chart.dispose();
    this.summary.close();
    this.preview.dispose();
    this.hover.dispose();
    this.blobs.dispose();
    void this.windows?.dispose();
    this.windows = null;
    this.compare.dispose();
    super.dispose();
  }

  /** Plans the current spec and shows it; a failure leaves the previous rows and shows DuckDB's message. */
  private async apply(): Promise<void> {
    const generation = ++this.generation;
    const started = performance.now();
    this.node.dataset.state = 'querying';
    let view: TableView;
    try {
      view = await planView(this.engine, this.source, this.query.spec);
    } catch (error) {
      if (generation === this.generation) {
        this.status.showError(error);
        this.node.dataset.state = 'ready';
      }
      return;
    }
    if (generation !== this.generation) return;
    this.lastQueryMs = performance.now() - started;
    this.status.hideError();
    this.view = view;
    void this.windows?.dispose();
    const windows = viewWindows(this.engine, view);
    this.windows = windows;
    this.selection.clear();
    const shown = shownColumns(view.columns);
    const names = view.columns.map((c) => c.name);
    this.grid.setSource(
      viewGridSource(view, windows, this.compareLabels(), (cell, value, column) =>
        renderValueCell(cell, value, column, this.blobs, this.preview, this.hover),
      ),
    );
    this.renderHeader(shown);
    this.chart.setColumns(shown, names);
    this.updateStatus();
    this.node.dataset.state = 'ready';
  }

  private compareLabels(): [string, string] {
    return [this.options.label ?? 'A', this.toolbar.compareLabel ?? 'B'];
  }

  private renderHeader(columns: TableColumn[]): void {
    const filterable = new Set(this.query.grouped ? [] : this.queryColumns().map((c) => c.name));
    const rows = gridHeaderRows(
      this.node.ownerDocument,
      columns,
      {
        sort: this.query.sort,
        filterable,
        filterText: (column) => this.query.filterText(column),
        filtersDisabled: this.options.previewOf !== undefined,
      },
      {
        cycleSort: (column) => {
          this.query.cycleSort(column);
          void this.apply();
        },
        showSummary: (column, left) => void this.showSummary(column, left),
        filter: (column, text) => void this.filter(column, text),
      },
    );
    this.grid.header.replaceChildren(...rows);
  }

  private async showSummary(column: string, left: number): Promise<void> {
    const view = this.view;
    if (!view) return;
    this.summary.loading(column, left - this.grid.node.scrollLeft);
    const grouped = this.query.grouped;
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
    return shownColumns(this.view?.filteredColumns ?? this.source.columns);
  }

  private runWhere(): void {
    this.query.where(this.toolbar.where);
    void this.apply();
  }

  private runSql(): void {
    this.query.sql(this.toolbar.sql);
    this.toolbar.sqlRan();
    void this.apply();
  }

  private clearQueries(): void {
    this.toolbar.clearQueries();
    this.query.clear();
    void this.apply();
  }

  private applyGroup(): void {
    this.query.groupBy(this.toolbar.groupKey, this.toolbar.aggregate, this.queryColumns());
    void this.apply();
  }

  private async listVersions(): Promise<void> {
    let labels: string[] | null;
    try {
      labels = await this.compare.list();
    } catch (error) {
      this.status.showError(error);
      return;
    }
    if (labels) this.toolbar.setVersions(labels);
  }

  /** Switches compare mode to the chosen version (or off); either way the queries start over. */
  private async applyCompare(): Promise<void> {
    const choice = this.toolbar.compareChoice;
    await this.compare.release();
    this.query.clear();
    if (choice === null) {
      this.source = this.base;
      await this.apply();
      return;
    }
    const version = this.compare.version(choice);
    if (!version) return;
    this.status.show(tableText.compareLoading);
    try {
      const other = await version.load();
      this.source = await this.compare.join(other, {
        key: this.toolbar.compareKey,
        labels: this.compareLabels(),
      });
    } catch (error) {
      this.status.showError(error);
      return;
    }
    await this.apply();
  }

  private toggleRow(index: number, row: readonly CellValue[], event: { shiftKey: boolean }): void {
    this.selection.click(index, row, event.shiftKey, (i) => this.grid.row(i));
    this.grid.setSelection(this.selection.indices());
    this.chart.setRows(this.selection.values());
    this.updateStatus();
  }

  private async copyFocused(): Promise<void> {
    if (this.focusedValue === undefined) return;
    await copyText(this.node.ownerDocument, cellText(this.focusedValue));
    this.toolbar.showCopied();
  }

  private async export(format: ExportFormat): Promise<void> {
    const view = this.view;
    if (!view) return;
    try {
      const bytes = await exportView(this.engine, view, format, this.options.codec);
      const type = format === 'csv' ? 'text/csv' : 'application/vnd.apache.parquet';
      download(
        this.node.ownerDocument,
        bytes as BlobPart,
        `${this.options.fileName ?? 'table'}.${format}`,
        type,
      );
    } catch (error) {
      this.status.showError(error);
    }
  }

  private updateStatus(): void {
    if (this.options.previewOf !== undefined) {
      this.status.show(tableText.preview(this.source.nrows, this.options.previewOf));
    } else {
      this.status.showRows(this.view?.count ?? 0, this.source.nrows, this.selection.size);
    }
  }
}
