import { fixedDomain, lineChartSpec, POINTS_DATASET } from '@spyglass/charts';
import type { SeriesPoint } from '@spyglass/store';
import type { TopLevelSpec } from 'vega-lite';
import { EmbeddedChart } from './EmbeddedChart.js';
import { HoverReadout, type WallTimeOf } from './hover-readout.js';
import { replaceDataset } from './vega-render.js';

const CHART_HEIGHT = 160;

/** One small-multiple cell: a metric's line chart, embedded once and then fed through changesets. */
export class MetricChart extends EmbeddedChart {
  /** The points last drawn, for the hover readout. */
  private points: readonly SeriesPoint[] = [];

  constructor(
    metric: string,
    /** Value of the `run` field and the colour key: the run id, unique and stable, unlike the run's name. */
    private readonly runId: string,
    /** What the x axis shows: 'step', a define_metric step metric, or the runtime of system metrics. */
    readonly xTitle = 'step',
    /** When a step was logged, for the hover readout (charts over the step only). */
    wallTime: WallTimeOf | null = null,
  ) {
    super(metric, 'jp-SpyglassChart', 'data-points');
    new HoverReadout(
      this.node,
      () => this.currentView(),
      () => this.points,
      xTitle,
      wallTime,
    );
  }

  /** Shows new points: the first call embeds the chart, later calls update its `points` dataset in place. */
  async update(points: SeriesPoint[], width: number): Promise<void> {
    const rows = points.map((p) => ({ step: p.step, value: p.value, run: this.runId }));
    await this.render(width, async (view) => {
      await replaceDataset(view, POINTS_DATASET, rows);
      this.points = points;
      this.node.setAttribute('data-points', String(rows.length));
    });
  }

  protected spec(width: number): TopLevelSpec {
    return lineChartSpec({
      metric: this.metric,
      runs: [this.runId],
      width,
      height: CHART_HEIGHT,
      xTitle: this.xTitle,
      // The chart title names the metric; a rotated copy on the y axis is cut off for long names.
      yTitle: null,
      yDomain: fixedDomain(this.metric),
    });
  }
}
