import { lineChartSpec, POINTS_DATASET } from '@spyglass/charts';
import type { SeriesPoint } from '@spyglass/store';
import type { View } from 'vega';
import { ChartRenderError, describeError } from './errors.js';
import { messages } from './messages.js';
import { embedChart, replaceDataset, resizeChart } from './vega-render.js';

const CHART_HEIGHT = 160;
const MIN_WIDTH = 200;

/** One small-multiple cell: a metric's line chart, embedded once and then fed through changesets. */
export class MetricChart {
  readonly node: HTMLElement;
  private readonly plot: HTMLElement;
  private view: View | null = null;
  private embedding: Promise<View> | null = null;
  /** Total width last given to the view (its `width` signal reads back smaller under autosize fit-x). */
  private width = 0;
  private disposed = false;

  constructor(
    readonly metric: string,
    /** Value of the `run` field and the colour key: the run id, unique and stable, unlike the run's name. */
    private readonly runId: string,
    /** What the x axis shows: 'step', a define_metric step metric, or the runtime of system metrics. */
    readonly xTitle = 'step',
  ) {
    this.node = document.createElement('figure');
    this.node.className = 'jp-SpyglassChart';
    this.node.setAttribute('data-metric', metric);
    this.node.setAttribute('data-points', '0');
    this.plot = document.createElement('div');
    this.plot.className = 'jp-SpyglassChart-plot';
    this.node.append(this.plot);
  }

  /** Shows new points: the first call embeds the chart, later calls update its `points` dataset in place. */
  async update(points: SeriesPoint[], width: number): Promise<void> {
    if (this.disposed) return;
    const rows = points.map((p) => ({ step: p.step, value: p.value, run: this.runId }));
    const plotWidth = Math.max(MIN_WIDTH, Math.floor(width));
    try {
      const view = await this.ensureView(plotWidth);
      if (this.disposed) return;
      await this.applyWidth(view, plotWidth);
      await replaceDataset(view, POINTS_DATASET, rows);
      this.node.setAttribute('data-points', String(rows.length));
      this.node.removeAttribute('data-error');
    } catch (cause) {
      const error = new ChartRenderError(this.metric, { cause });
      this.node.setAttribute('data-error', error.message);
      this.plot.textContent = messages.chartFailed(this.metric, describeError(cause));
      this.view?.finalize();
      this.embedding = null;
      this.view = null;
      this.width = 0;
      throw error;
    }
  }

  /** Follows a layout change without waiting for new data. */
  async resize(width: number): Promise<void> {
    if (this.view && !this.disposed) await this.applyWidth(this.view, Math.max(MIN_WIDTH, Math.floor(width)));
  }

  private async applyWidth(view: View, width: number): Promise<void> {
    if (width === this.width) return;
    this.width = width;
    await resizeChart(view, width);
  }

  dispose(): void {
    this.disposed = true;
    this.view?.finalize();
    this.view = null;
    this.node.remove();
  }

  private ensureView(width: number): Promise<View> {
    if (this.view) return Promise.resolve(this.view);
    if (!this.embedding) {
      const spec = lineChartSpec({
        metric: this.metric,
        runs: [this.runId],
        width,
        height: CHART_HEIGHT,
        xTitle: this.xTitle,
        // The chart title names the metric; a rotated copy on the y axis is cut off for long names.
        yTitle: null,
      });
      this.embedding = embedChart(this.plot, spec).then((view) => {
        if (this.disposed) view.finalize();
        else this.view = view;
        this.width = width;
        return view;
      });
    }
    return this.embedding;
  }
}
