import { Widget } from '@lumino/widgets';
import {
  loggedCharts,
  type PlannedChart,
  type PlannedSection,
  planSections,
  SYSTEM_SECTION,
} from '@spyglass/charts';
import type { Stream } from '@spyglass/protocol';
import type { RunChange, RunDataSource, RunLoadStatus, SeriesPoint } from '@spyglass/store';
import { ChartSection } from './ChartSection.js';
import { describeError } from './errors.js';
import { gridLayout } from './grid-layout.js';
import { HistogramSections } from './HistogramSections.js';
import { LoggedChartsSection, type LoggedChartView } from './LoggedChartsSection.js';
import type { MetricChart } from './MetricChart.js';
import { messages } from './messages.js';
import { RunHeader } from './RunHeader.js';
import { RunOverview } from './RunOverview.js';
import { Throttle } from './throttle.js';

export interface RunPanelOptions {
  source: RunDataSource;
  /** Points per chart above which the series is M4-downsampled (default 1000). */
  maxPoints?: number;
  /** Minimum time between redraws (default 125 ms: at most 8 redraws/s, so a flush shows within 250 ms). */
  redrawIntervalMs?: number;
  /** Views for the charts the run logged (sg.plot, spyglass.sklearn); without it they are not shown. */
  loggedChartView?: LoggedChartView;
}

/**
 * One run, laid out like wandb's run page but compact: a header (name, state, duration, tags, notes), the config
 * and summary tables, then collapsible sections of live line charts grouped by metric prefix, system metrics last.
 * Redraws are throttled and reuse each chart's Vega view; data attributes expose what is shown for tests.
 */
export class RunPanel extends Widget {
  readonly source: RunDataSource;
  private readonly maxPoints: number;
  private readonly header = new RunHeader();
  private readonly overview = new RunOverview();
  private readonly sections = new Map<string, ChartSection>();
  /** One throttled redraw per stream: a long system redraw never holds back the history rows behind it. */
  private readonly redraws: Record<Stream, Throttle>;
  private readonly messageNode = document.createElement('p');
  private readonly sectionsNode = document.createElement('div');
  private readonly histograms = new HistogramSections();
  private readonly loggedCharts: LoggedChartsSection | null;
  private readonly resizeObserver: ResizeObserver;
  private layoutWidth = 0;
  /** What each stream's last redraw read: the section plan is made of both. */
  private readonly known: KnownCounts = { rows: 0, metrics: [], systemMetrics: [] };
  /** When a step of the run was logged, for the charts' hover readouts. */
  private readonly wallTime = (step: number) => this.source.timeAtStep(step);
  /** The latest logged values while the run is running (empty once run.json has the final summary). */
  private liveSummary: Readonly<Record<string, number>> = {};
  private liveSummaryAt = Number.NEGATIVE_INFINITY;
  /** The define_metric entries the section plan was made with (run.json may change them during a run). */
  private metricDefinitions = '';

  constructor(options: RunPanelOptions) {
    super();
    this.source = options.source;
    this.maxPoints = options.maxPoints ?? 1000;
    this.loggedCharts = options.loggedChartView ? new LoggedChartsSection(options.loggedChartView) : null;
    this.addClass('jp-SpyglassRunPanel');
    this.node.setAttribute('data-spyglass-run-id', this.source.runId);
    this.node.setAttribute('data-rows', '0');
    this.messageNode.className = 'jp-SpyglassRunPanel-message';
    this.sectionsNode.className = 'jp-SpyglassRunPanel-sections';
    this.node.append(
      this.header.node,
      this.overview.node,
      this.messageNode,
      this.sectionsNode,
      this.histograms.node,
      ...(this.loggedCharts ? [this.loggedCharts.node] : []),
    );
    const interval = options.redrawIntervalMs ?? 125;
    this.redraws = {
      history: new Throttle(() => this.redraw('history'), interval),
      system: new Throttle(() => this.redraw('system'), interval),
    };
    this.resizeObserver = new ResizeObserver(() => this.onSectionsResize());
    this.resizeObserver.observe(this.sectionsNode);
    this.source.changed.connect(this.onSourceChanged, this);
    this.renderDetails();
    this.requestRedraws();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.source.changed.disconnect(this.onSourceChanged, this);
    for (const stream of STREAMS) this.redraws[stream].dispose();
    this.resizeObserver.disconnect();
    this.header.dispose();
    for (const section of this.sections.values()) section.dispose();
    this.sections.clear();
    this.histograms.dispose();
    this.loggedCharts?.dispose();
    super.dispose();
  }

  /**
   * New rows redraw the charts of their stream; new metadata redraws the charts only when it changes their plan
   * (define_metric), so a run's state or summary changing never holds back the rows that follow it.
   */
  private onSourceChanged(_source: RunDataSource, change: RunChange): void {
    if (change.kind === 'rows') {
      this.redraws[change.stream].request();
      return;
    }
    this.renderDetails();
    const definitions = JSON.stringify(this.source.metadata()?.metrics ?? {});
    if (change.kind === 'details' && definitions === this.metricDefinitions) return;
    this.metricDefinitions = definitions;
    this.requestRedraws();
  }

  private requestRedraws(): void {
    for (const stream of STREAMS) this.redraws[stream].request();
  }

  private renderDetails(): void {
    const summary = this.source.summary();
    const meta = this.source.metadata();
    this.header.update(summary, meta);
    // A finished run's run.json has its final summary; until then the latest logged values complete it.
    if (meta?.state !== 'running') this.liveSummary = {};
    this.overview.update(meta, this.liveSummary);
    this.loggedCharts?.update(loggedCharts(meta?.summary));
    this.node.setAttribute('data-state', summary.state ?? 'unknown');
  }

  /**
   * Redraws one stream's charts. Each chart is drawn in a task of its own, so comm messages and the other
   * stream's redraw run between them instead of waiting for every chart.
   */
  private async redraw(stream: Stream): Promise<void> {
    if (this.isDisposed) return;
    const status = this.source.status();
    this.node.setAttribute('data-status', status.kind);
    this.header.setDamaged(status.kind === 'damaged' ? status.message : null);
    if (status.kind === 'failed' || status.kind === 'refused') {
      this.showMessage(status.message, true);
      return;
    }
    try {
      let histogramCount = 0;
      if (stream === 'history') {
        // The histogram count is kept by the source: a redraw without new histograms waits on no extra query.
        [this.known.rows, this.known.metrics, histogramCount] = await Promise.all([
          this.source.rowCount(),
          this.source.metricNames(),
          this.source.histogramCount(),
        ]);
      } else {
        this.known.systemMetrics = await this.source.systemMetricNames();
      }
      if (this.isDisposed) return;
      const { rows, metrics, systemMetrics } = this.known;
      const plan = planSections(metrics, systemMetrics, this.source.metadata()?.metrics ?? {});
      const layout = this.applyLayout();
      const charts = this.ensureSections(plan).filter(([planned]) => planned.stream === stream);
      // History charts read their series at once (the engine works while the page draws). System charts, a
      // sample every few seconds, go one at a time behind any history redraw: the history rows have the right
      // of way, in the engine's queue as on the page.
      const series =
        stream === 'history' ? await Promise.all(charts.map(([planned]) => this.seriesOf(planned))) : null;
      for (const [i, [planned, chart]] of charts.entries()) {
        if (stream === 'system') await this.redraws.history.whenIdle();
        const points = series ? series[i] : await this.seriesOf(planned);
        if (stream === 'system') await this.redraws.history.whenIdle();
        if (this.isDisposed) return;
        await chart.update(points, layout.plotWidth).catch((error) => console.warn('Spyglass:', error));
        await nextTask();
      }
      if (stream === 'system' || this.isDisposed) return;
      await this.histograms.update(this.source, layout.plotWidth, histogramCount);
      if (this.isDisposed) return;
      this.header.setRows(messages.rows(rows));
      // Only a new count is written: a redraw with no new rows (a resize, a status change) changes nothing here.
      if (this.node.getAttribute('data-rows') !== String(rows))
        this.node.setAttribute('data-rows', String(rows));
      this.showStatusMessage(status, rows, metrics.length + this.histograms.keyCount);
      this.refreshLiveSummary().catch((error) => console.warn('Spyglass: live summary', error));
    } catch (error) {
      if (!this.isDisposed) this.showMessage(messages.loadFailed(describeError(error)), true);
      console.error('Spyglass: cannot redraw run panel', error);
    }
  }

  /**
   * While the run is running, shows its latest logged values in the summary: after the charts, never before
   * them, and at most once a second (a table of numbers changing 4 times a second is unreadable anyway).
   */
  private async refreshLiveSummary(): Promise<void> {
    const meta = this.source.metadata();
    if (meta?.state !== 'running' || !this.overview.node.open) return;
    if (performance.now() - this.liveSummaryAt < LIVE_SUMMARY_INTERVAL_MS) return;
    this.liveSummaryAt = performance.now();
    const latest = await this.source.latestValues();
    if (this.isDisposed || this.source.metadata()?.state !== 'running') return;
    this.liveSummary = latest;
    this.overview.update(this.source.metadata(), latest);
  }

  /** A chart's points: system metrics over runtime; others over their step metric when the rows have it. */
  private async seriesOf(chart: PlannedChart): Promise<SeriesPoint[]> {
    if (chart.stream === 'system') return this.source.systemSeries(chart.metric, this.maxPoints);
    if (chart.stepMetric !== null) {
      const points = await this.source.seriesAgainst(chart.metric, chart.stepMetric, this.maxPoints);
      if (points.length > 0) return points;
    }
    return this.source.series(chart.metric, this.maxPoints);
  }

  /**
   * Puts the sections in plan order, drops those gone, and returns the charts of the expanded sections with what
   * they should show (a collapsed section's charts are drawn when it is opened).
   */
  private ensureSections(plan: PlannedSection[]): [PlannedChart, MetricChart][] {
    const wanted = new Set(plan.map((s) => s.name));
    for (const [name, section] of this.sections) {
      if (!wanted.has(name)) {
        section.dispose();
        this.sections.delete(name);
      }
    }
    const pairs: [PlannedChart, MetricChart][] = [];
    let previous: HTMLElement | null = null;
    for (const planned of plan) {
      let section = this.sections.get(planned.name);
      if (!section) {
        // System metrics (a few samples of the machine) start collapsed, as wandb keeps them on a tab of their own.
        const stream = planned.charts[0]?.stream ?? 'history';
        section = new ChartSection(planned.name, this.source.runId, planned.name !== SYSTEM_SECTION, () =>
          this.redraws[stream].request(),
        );
        section.setColumns(gridLayout(this.layoutWidth).columns);
        this.sections.set(planned.name, section);
      }
      if (previous ? previous.nextSibling !== section.node : this.sectionsNode.firstChild !== section.node) {
        if (previous) previous.after(section.node);
        else this.sectionsNode.prepend(section.node);
      }
      previous = section.node;
      const charts = section.setCharts(
        planned.charts.map((c) => ({
          metric: c.metric,
          xTitle: xTitle(c),
          wallTime: c.stream === 'history' && c.stepMetric === null ? this.wallTime : null,
        })),
      );
      if (!section.isOpen) continue;
      planned.charts.forEach((c, i) => {
        pairs.push([c, charts[i]]);
      });
    }
    return pairs;
  }

  private showStatusMessage(status: RunLoadStatus, rows: number, metricCount: number): void {
    if (status.kind === 'damaged') this.showMessage(status.message, true);
    else if (rows === 0)
      this.showMessage(status.kind === 'loading' ? messages.loading : messages.noDataYet, false);
    else if (metricCount === 0) this.showMessage(messages.noNumericMetrics, false);
    else this.showMessage('', false);
  }

  private showMessage(text: string, isError: boolean): void {
    this.messageNode.textContent = text;
    this.messageNode.hidden = text === '';
    this.messageNode.classList.toggle('jp-mod-error', isError);
  }

  /** One layout for every section, from the width they share (a collapsed section has none of its own). */
  private applyLayout() {
    this.layoutWidth = this.sectionsNode.clientWidth;
    const layout = gridLayout(this.layoutWidth);
    for (const section of this.sections.values()) section.setColumns(layout.columns);
    this.histograms.setColumns(layout.columns);
    return layout;
  }

  private onSectionsResize(): void {
    if (this.isDisposed || this.sectionsNode.clientWidth === this.layoutWidth) return;
    const layout = this.applyLayout();
    for (const section of this.sections.values()) {
      for (const chart of section.allCharts()) {
        chart.resize(layout.plotWidth).catch((error) => console.warn('Spyglass:', error));
      }
    }
    this.histograms.resize(layout.plotWidth);
  }
}

const STREAMS: readonly Stream[] = ['history', 'system'];
const LIVE_SUMMARY_INTERVAL_MS = 1000;

/** Resolves in a later task, letting the page handle what arrived meanwhile (comm messages, the other redraw). */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

interface KnownCounts {
  rows: number;
  metrics: readonly string[];
  systemMetrics: readonly string[];
}

function xTitle(chart: PlannedChart): string {
  if (chart.stream === 'system') return messages.runtimeAxis;
  return chart.stepMetric ?? 'step';
}
