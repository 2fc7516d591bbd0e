import { Widget } from '@lumino/widgets';
import { describeError } from './errors.js';
import { gridLayout } from './grid-layout.js';
import { MetricChart } from './MetricChart.js';
import { messages } from './messages.js';
import type { RunDataSource, RunLoadStatus } from './run-source.js';
import { Throttle } from './throttle.js';

export interface RunPanelOptions {
  source: RunDataSource;
  /** Points per chart above which the series is M4-downsampled (default 1000). */
  maxPoints?: number;
  /** Minimum time between redraws (default 125 ms: at most 8 redraws/s, so a flush shows within 250 ms). */
  redrawIntervalMs?: number;
}

/**
 * One run: a header (name, state, row count) and a grid with one live line chart per numeric metric.
 * Redraws are throttled and reuse each chart's Vega view; data attributes expose what is shown for tests.
 */
export class RunPanel extends Widget {
  readonly source: RunDataSource;
  private readonly maxPoints: number;
  private readonly charts = new Map<string, MetricChart>();
  private readonly throttle: Throttle;
  private readonly titleNode = document.createElement('span');
  private readonly stateNode = document.createElement('span');
  private readonly rowsNode = document.createElement('span');
  private readonly messageNode = document.createElement('p');
  private readonly gridNode = document.createElement('div');
  private readonly resizeObserver: ResizeObserver;
  private layoutWidth = 0;

  constructor(options: RunPanelOptions) {
    super();
    this.source = options.source;
    this.maxPoints = options.maxPoints ?? 1000;
    this.addClass('jp-SpyglassRunPanel');
    this.node.setAttribute('data-spyglass-run-id', this.source.runId);
    this.node.setAttribute('data-rows', '0');
    this.buildDom();
    this.throttle = new Throttle(() => this.redraw(), options.redrawIntervalMs ?? 125);
    this.resizeObserver = new ResizeObserver(() => this.onGridResize());
    this.resizeObserver.observe(this.gridNode);
    this.source.changed.connect(this.onSourceChanged, this);
    this.renderHeader();
    this.throttle.request();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.source.changed.disconnect(this.onSourceChanged, this);
    this.throttle.dispose();
    this.resizeObserver.disconnect();
    for (const chart of this.charts.values()) chart.dispose();
    this.charts.clear();
    super.dispose();
  }

  private buildDom(): void {
    const header = document.createElement('header');
    header.className = 'jp-SpyglassRunPanel-header';
    this.titleNode.className = 'jp-SpyglassRunPanel-name';
    this.stateNode.className = 'jp-SpyglassRunPanel-state';
    this.rowsNode.className = 'jp-SpyglassRunPanel-rows';
    header.append(this.titleNode, this.stateNode, this.rowsNode);
    this.messageNode.className = 'jp-SpyglassRunPanel-message';
    this.gridNode.className = 'jp-SpyglassRunPanel-grid';
    this.node.append(header, this.messageNode, this.gridNode);
  }

  private onSourceChanged(): void {
    this.renderHeader();
    this.throttle.request();
  }

  private renderHeader(): void {
    const summary = this.source.summary();
    this.titleNode.textContent = summary.name || messages.unnamedRun;
    this.titleNode.title = `${summary.project} / ${summary.runId}`;
    this.stateNode.textContent = summary.state ?? '';
    this.stateNode.hidden = summary.state === null;
    this.node.setAttribute('data-state', summary.state ?? 'unknown');
  }

  private async redraw(): Promise<void> {
    if (this.isDisposed) return;
    const status = this.source.status();
    this.node.setAttribute('data-status', status.kind);
    if (status.kind === 'failed' || status.kind === 'refused') {
      this.showMessage(status.message, true);
      return;
    }
    try {
      const [rows, metrics] = await Promise.all([this.source.rowCount(), this.source.metricNames()]);
      if (this.isDisposed) return;
      this.ensureCharts(metrics);
      const layout = this.applyLayout();
      const series = await Promise.all(metrics.map((m) => this.source.series(m, this.maxPoints)));
      if (this.isDisposed) return;
      const drawn = await Promise.allSettled(
        metrics.map((m, i) => this.charts.get(m)?.update(series[i], layout.plotWidth)),
      );
      for (const result of drawn) if (result.status === 'rejected') console.warn('Spyglass:', result.reason);
      this.rowsNode.textContent = messages.rows(rows);
      this.node.setAttribute('data-rows', String(rows));
      this.showStatusMessage(status, rows, metrics.length);
    } catch (error) {
      if (!this.isDisposed) this.showMessage(messages.loadFailed(describeError(error)), true);
      console.error('Spyglass: cannot redraw run panel', error);
    }
  }

  private showStatusMessage(status: RunLoadStatus, rows: number, metricCount: number): void {
    if (rows === 0)
      this.showMessage(status.kind === 'loading' ? messages.loading : messages.noDataYet, false);
    else if (metricCount === 0) this.showMessage(messages.noNumericMetrics, false);
    else this.showMessage('', false);
  }

  private showMessage(text: string, isError: boolean): void {
    this.messageNode.textContent = text;
    this.messageNode.hidden = text === '';
    this.messageNode.classList.toggle('jp-mod-error', isError);
  }

  /** Adds a chart for every new metric, keeping the grid sorted by name. */
  private ensureCharts(metrics: string[]): void {
    let previous: HTMLElement | null = null;
    for (const metric of metrics) {
      let chart = this.charts.get(metric);
      if (!chart) {
        chart = new MetricChart(metric, this.source.runId);
        this.charts.set(metric, chart);
        if (previous) previous.after(chart.node);
        else this.gridNode.prepend(chart.node);
      }
      previous = chart.node;
    }
  }

  private applyLayout() {
    const layout = gridLayout(this.gridNode.clientWidth);
    this.gridNode.style.setProperty('--jp-spyglass-columns', String(layout.columns));
    this.layoutWidth = this.gridNode.clientWidth;
    return layout;
  }

  private onGridResize(): void {
    if (this.isDisposed || this.gridNode.clientWidth === this.layoutWidth) return;
    const layout = this.applyLayout();
    for (const chart of this.charts.values()) {
      chart.resize(layout.plotWidth).catch((error) => console.warn('Spyglass:', error));
    }
  }
}
