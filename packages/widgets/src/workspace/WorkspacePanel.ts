import { Widget } from '@lumino/widgets';
import {
  assignedRunColor,
  type ChartSettings,
  defaultLayout,
  type LayoutPanel,
  movedColumn,
  newPanelId,
  parseLayout,
  planPanels,
  projectRunColors,
  type RunColors,
  type RunColumn,
  runColumns,
  runsTableCsv,
  runsTableValues,
  type TableState,
  type TableView,
  tableView,
  toggled,
  visibleColumns,
  type WorkspaceLayout,
  withColumnToggled,
} from '@spyglass/charts';
import type { RunListing, WorkspaceRun } from '@spyglass/protocol';
import { sqlString, type WorkspaceData } from '@spyglass/store';
import { download } from '../dom.js';
import { describeError } from '../errors.js';
import { Throttle } from '../throttle.js';
import type { EmbeddedPanelHost } from './embedded-panels.js';
import type { LayoutStore } from './layout-store.js';
import { type NewPanel, PanelEditor } from './PanelEditor.js';
import { PanelGrid } from './PanelGrid.js';
import { RunsTable } from './RunsTable.js';
import type { ChartContext } from './WorkspaceChart.js';
import { WorkspaceToolbar } from './WorkspaceToolbar.js';
import { workspaceMessages as text } from './workspace-messages.js';

export interface WorkspacePanelOptions {
  data: WorkspaceData;
  layoutStore: LayoutStore;
  project: string;
  /**
   * Writes a table as Parquet (the server does it with pyarrow: DuckDB-WASM has no Parquet writer without
   * fetching its extension); without it the Parquet button says why not.
   */
  exportParquet?: (columns: string[], rows: unknown[][]) => Promise<Uint8Array>;
  /** Runs to select on open (the run browser's click), overriding the saved selection. */
  select?: string[];
  /** Tail running runs (default true). */
  live?: boolean;
  /**
   * Views for the embedded panel kinds (table, sweep, lineage), given by the page (the JupyterLab extension);
   * without it the editor offers only the chart kinds.
   */
  embeddedPanels?: EmbeddedPanelHost;
}

/**
 * The Spyglass workspace: every run of a project in a filterable, sortable, groupable table, and a grid of panels
 * (one line plot per metric by default, plus added scatter, bar and custom Vega-Lite + SQL panels) that all follow
 * the table's filters and selection. The layout (table state, chart settings, panels) is saved through a
 * LayoutStore a moment after each change. Data attributes expose state for tests (data-runs, data-layout-saves).
 */
export class WorkspacePanel extends Widget {
  private readonly data: WorkspaceData;
  private readonly toolbar: WorkspaceToolbar;
  private readonly table: RunsTable;
  private readonly grid: PanelGrid;
  private readonly message = document.createElement('p');
  private readonly editorSlot = document.createElement('div');
  /** The workspace layout (named `saved`: Widget already has a `layout`). */
  private saved: WorkspaceLayout = defaultLayout();
  private listing: RunListing = { runs: [], projects: [] };
  /** Run colours by the project's creation order: the same for every run on every reload. */
  private colors: RunColors = {};
  private columns: RunColumn[] = [];
  private sqlMatches: Set<string> | null = null;
  private hovered: string | null = null;
  private view: TableView = { rows: [], groups: null, hidden: 0 };
  private readonly saver: Throttle;
  private saves = 0;
  private unsubscribe: (() => void)[] = [];
  private started = false;

  constructor(private readonly options: WorkspacePanelOptions) {
    super();
    this.data = options.data;
    this.addClass('jp-SpyglassWorkspace');
    this.node.dataset.project = options.project;
    this.node.dataset.runs = '0';
    this.node.dataset.layoutSaves = '0';
    this.toolbar = new WorkspaceToolbar({
      search: (value) => this.changeTable({ search: value }),
      where: (clause) => void this.applyWhere(clause),
      groupBy: (column) => this.changeTable({ groupBy: column }),
      toggleColumn: (id) => this.changeTable({ columns: withColumnToggled(this.visible(), id) }),
      moveColumn: (id, by) =>
        this.changeTable({
          columns: movedColumn(
            this.visible().map((c) => c.id),
            id,
            by,
          ),
        }),
      chart: (settings) => this.changeChart(settings),
      addPanel: () => this.openEditor(),
      exportTable: (format) => void this.exportTable(format),
    });
    this.table = new RunsTable({
      sort: (column) => {
        const sort = this.saved.table.sort;
        const descending = sort?.column === column ? !sort.descending : false;
        this.changeTable({ sort: { column, descending } });
      },
      toggleSelect: (id) => this.changeTable({ selected: toggled(this.saved.table.selected, id) }),
      togglePin: (id) => this.changeTable({ pinned: toggled(this.saved.table.pinned, id) }),
      hover: (id) => this.setHovered(id, 'table'),
      colorOf: (id) => assignedRunColor(id, this.colors),
    });
    this.grid = new PanelGrid(
      {
        hover: (id) => this.setHovered(id, 'chart'),
        remove: (id) => this.removePanel(id),
        collapse: (section, collapsed) => {
          const list = this.saved.collapsedSections.filter((s) => s !== section);
          if (collapsed === this.saved.collapsedSections.includes(section)) return;
          this.setLayout({ ...this.saved, collapsedSections: collapsed ? [...list, section] : list }, false);
        },
      },
      {
        host: options.embeddedPanels ?? null,
        run: (runId) => this.listing.runs.find((r) => r.run_id === runId) ?? null,
        remove: (id) => this.removePanel(id),
      },
    );
    this.message.className = 'jp-SpyglassWorkspace-message';
    this.message.textContent = text.loadingRuns;
    this.editorSlot.className = 'jp-SpyglassWorkspace-editor';
    this.node.append(this.toolbar.node, this.message, this.table.node, this.editorSlot, this.grid.node);
    this.saver = new Throttle(() => this.saveLayout(), 400);
  }

  /** Loads the saved layout and the runs, then follows the project live. Call once after attaching. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    try {
      const saved = await this.options.layoutStore.load();
      if (saved !== null) this.saved = parseLayout(saved);
    } catch (error) {
      this.showMessage(text.layoutInvalid(describeError(error)), true);
    }
    if (this.options.select && this.options.select.length > 0) {
      this.saved = { ...this.saved, table: { ...this.saved.table, selected: [...this.options.select] } };
    }
    this.unsubscribe.push(
      this.data.onRunsChanged((listing) => this.setListing(listing)),
      this.data.onMetricUpdated((metric) => this.grid.refreshMetric(metric)),
    );
    try {
      this.setListing(await this.data.listRuns());
      if (this.saved.table.where.trim() !== '') await this.applyWhere(this.saved.table.where);
    } catch (error) {
      this.showMessage(text.listFailed(describeError(error)), true);
      this.node.dataset.status = 'failed';
      return;
    }
    if (this.options.live !== false) this.data.startLive();
    this.node.dataset.status = 'ready';
  }

  /** Selects these runs (the run browser's click on an open workspace). */
  selectRuns(runIds: string[]): void {
    this.changeTable({ selected: [...runIds] });
  }

  /** The current layout (what is saved). */
  currentLayout(): WorkspaceLayout {
    return this.saved;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    for (const off of this.unsubscribe) off();
    this.data.stopLive();
    this.saver.dispose();
    this.grid.dispose();
    this.table.dispose();
    super.dispose();
  }

  private setListing(listing: RunListing): void {
    this.listing = listing;
    this.colors = projectRunColors(listing.runs);
    this.columns = runColumns(listing.runs);
    this.render();
  }

  private visible(): RunColumn[] {
    return visibleColumns(this.columns, this.saved.table);
  }

  private changeTable(change: Partial<TableState>): void {
    this.setLayout({ ...this.saved, table: { ...this.saved.table, ...change } });
  }

  private changeChart(change: Partial<ChartSettings>): void {
    this.setLayout({ ...this.saved, chart: { ...this.saved.chart, ...change } });
  }

  private setLayout(layout: WorkspaceLayout, rerender = true): void {
    const selectionOnly =
      rerender &&
      JSON.stringify({ ...layout.table, selected: [] }) ===
        JSON.stringify({ ...this.saved.table, selected: [] }) &&
      layout.chart === this.saved.chart &&
      layout.panels === this.saved.panels;
    this.saved = layout;
    this.saver.request();
    if (!rerender) return;
    if (selectionOnly) {
      // Selecting runs only re-marks rows and re-highlights charts: no re-query.
      this.renderTable();
      this.grid.setHighlight(this.highlight());
      this.node.dataset.selected = layout.table.selected.join(',');
      return;
    }
    this.render();
  }

  private async applyWhere(clause: string): Promise<void> {
    const trimmed = clause.trim();
    if (trimmed === '') {
      this.sqlMatches = null;
      this.toolbar.setWhereStatus('', false);
      this.changeTable({ where: '' });
      return;
    }
    try {
      if (trimmed.includes(';')) throw new Error('write one expression, without ";"');
      const rows = await this.data.sql(`SELECT run_id FROM runs WHERE ${trimmed}`);
      this.sqlMatches = new Set(rows.map((r) => String(r.run_id)));
      this.toolbar.setWhereStatus(text.whereMatches(this.sqlMatches.size), false);
      this.node.dataset.whereError = '';
      this.changeTable({ where: trimmed });
    } catch (error) {
      const message = text.whereFailed(describeError(error));
      this.toolbar.setWhereStatus(message, true);
      this.node.dataset.whereError = message;
    }
  }

  private highlight(): string[] {
    const ids = [...this.saved.table.selected];
    if (this.hovered !== null && !ids.includes(this.hovered)) ids.push(this.hovered);
    return ids;
  }

  private setHovered(runId: string | null, from: 'table' | 'chart'): void {
    if (this.hovered === runId) return;
    this.hovered = runId;
    if (from === 'chart') this.table.setHovered(runId);
    this.grid.setHighlight(this.highlight());
  }

  private renderTable(): void {
    const visible = this.visible();
    this.view = tableView(this.listing.runs, this.columns, this.saved.table, this.sqlMatches);
    this.table.update(
      this.view,
      visible,
      this.saved.table.selected,
      this.saved.table.pinned,
      this.saved.table.sort,
    );
    const selected = this.saved.table.selected.length;
    this.toolbar.status.textContent = [
      text.runsShown(this.view.rows.length, this.listing.runs.length),
      text.selectedCount(selected),
    ]
      .filter(Boolean)
      .join(' · ');
  }

  private render(): void {
    if (this.isDisposed) return;
    this.renderTable();
    const runs = this.listing.runs;
    this.node.dataset.runs = String(runs.length);
    this.node.dataset.shown = String(this.view.rows.length);
    this.node.dataset.selected = this.saved.table.selected.join(',');
    this.toolbar.update({
      search: this.saved.table.search,
      where: this.saved.table.where,
      groupBy: this.saved.table.groupBy,
      all: this.columns,
      visible: this.visible(),
      chart: this.saved.chart,
      xAxes: stepMetrics(runs),
    });
    const damaged = runs.filter((r) => r.damaged !== null).length;
    const missing = this.listing.close_matches; // set by the server when the project does not exist
    if (runs.length === 0)
      this.showMessage(missing ? text.noProject(this.options.project, missing) : text.noRuns, false);
    else if (damaged > 0) this.showMessage(text.damagedRuns(damaged), false);
    else if (!this.message.classList.contains('jp-mod-error')) this.showMessage('', false);

    const healthy = (run: { damaged: string | null }) => run.damaged === null;
    const drawn = (this.view.rows as WorkspaceRun[]).filter(healthy);
    const metrics = [...new Set(drawn.flatMap((r) => r.metrics))].sort();
    const context: ChartContext = {
      data: this.data,
      runs: drawn,
      columns: this.columns,
      labels: Object.fromEntries(runs.map((r) => [r.run_id, r.name || r.run_id])),
      colors: this.colors,
      groups:
        this.view.groups?.map((g) => ({ key: g.key, runIds: g.runs.filter(healthy).map((r) => r.run_id) })) ??
        null,
      settings: this.saved.chart,
      highlight: this.highlight(),
      visibleRunsView: this.defineVisibleRuns(drawn.map((r) => r.run_id)),
    };
    this.grid.update(planPanels(metrics, this.saved), context);
  }

  /** (Re)defines the SQL view `visible_runs`: the `runs` rows the filters keep, for custom panels. */
  private defineVisibleRuns(runIds: string[]): Promise<void> {
    const list = runIds.map(sqlString).join(', ');
    const where = runIds.length === 0 ? 'false' : `run_id IN (${list})`;
    return this.data
      .sql(`CREATE OR REPLACE TEMP VIEW visible_runs AS SELECT * FROM runs WHERE ${where}`)
      .then(() => undefined)
      .catch((error) => console.warn('Spyglass: cannot define visible_runs', error));
  }

  private openEditor(): void {
    const metrics = [...new Set(this.listing.runs.flatMap((r) => r.metrics))].sort();
    const host = this.options.embeddedPanels;
    const editor = new PanelEditor(
      metrics,
      this.columns,
      (panel) => {
        this.editorSlot.replaceChildren();
        if (panel) this.addPanel(panel);
      },
      host ? { host, runs: this.listing.runs.filter((r) => r.damaged === null) } : null,
    );
    this.editorSlot.replaceChildren(editor.node);
  }

  private addPanel(panel: NewPanel): void {
    const added = { ...panel, id: newPanelId(this.saved, panel.kind) } as LayoutPanel;
    this.setLayout({ ...this.saved, panels: [...this.saved.panels, added] });
    // The new panel is what the user looks at next, and panels draw only once visible: bring it into view.
    requestAnimationFrame(() => {
      const cell = this.node.querySelector(`[data-panel-id="${CSS.escape(added.id)}"]`);
      cell?.scrollIntoView({ block: 'nearest' });
    });
  }

  private removePanel(id: string): void {
    if (id.startsWith('metric:')) {
      const metric = id.slice('metric:'.length);
      this.setLayout({ ...this.saved, hiddenMetrics: [...this.saved.hiddenMetrics, metric] });
    } else {
      this.setLayout({ ...this.saved, panels: this.saved.panels.filter((p) => p.id !== id) });
    }
  }

  private async saveLayout(): Promise<void> {
    try {
      await this.options.layoutStore.save(this.saved);
      this.saves += 1;
      this.node.dataset.layoutSaves = String(this.saves);
    } catch (error) {
      this.showMessage(text.layoutSaveFailed(describeError(error)), true);
    }
  }

  private async exportTable(format: 'csv' | 'parquet'): Promise<void> {
    const stem = `${this.options.project.replace(/[^A-Za-z0-9._-]+/g, '_') || 'runs'}-runs`;
    try {
      if (format === 'csv') {
        download(document, runsTableCsv(this.visible(), this.view.rows), `${stem}.csv`, 'text/csv');
        return;
      }
      if (!this.options.exportParquet) throw new Error(text.parquetUnavailable);
      const { columns, rows } = runsTableValues(this.visible(), this.view.rows);
      const bytes = await this.options.exportParquet(columns, rows);
      download(document, bytes as BlobPart, `${stem}.parquet`, 'application/vnd.apache.parquet');
    } catch (error) {
      this.showMessage(text.exportFailed(describeError(error)), true);
    }
  }

  private showMessage(message: string, isError: boolean): void {
    this.message.textContent = message;
    this.message.hidden = message === '';
    this.message.classList.toggle('jp-mod-error', isError);
  }
}

/** define_metric step metrics any run declares: offered as x axes. */
function stepMetrics(runs: readonly WorkspaceRun[]): string[] {
  const names = new Set<string>();
  for (const run of runs) for (const step of Object.values(run.step_metrics ?? {})) names.add(step);
  return [...names].sort();
}
