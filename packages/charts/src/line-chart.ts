import type { TopLevelSpec } from 'vega-lite';
import { RUN_PALETTE, runColor } from './palette.js';

/** One row of the named dataset "points" that every line chart reads. */
export interface ChartPoint {
  /** The x position: the step, or what the chart's `xTitle` names (a step metric, the runtime in seconds). */
  step: number;
  value: number;
  /** The run id: colours key on it, since two runs may share a name. */
  run: string;
}

/** Name of the dataset a renderer updates in place (`view.data(POINTS_DATASET, rows)`). */
export const POINTS_DATASET = 'points';

export interface LineChartOptions {
  /** The metric drawn; used as the y-axis title and chart title only, never as a field name. */
  metric: string;
  /** Initial rows of the "points" dataset; leave empty to stream them in with view.data later. */
  points?: ChartPoint[];
  /** Run ids to colour, in legend order; defaults to the runs present in `points`. */
  runs?: string[];
  /** Pixels, or 'container' to follow the width of the element the chart is embedded in (default). */
  width?: number | 'container';
  height?: number;
  /** Shown above the chart; defaults to the metric name. Pass null for none. */
  title?: string | null;
  /** The x axis title, e.g. a define_metric step metric or 'runtime (s)' (default 'step'). */
  xTitle?: string;
  /** The y axis title; defaults to the metric name. Pass null for none (a small multiple titled by its metric). */
  yTitle?: string | null;
  /** A fixed y range (e.g. 0–100 for a utilisation); by default the axis fits the data. */
  yDomain?: [number, number] | null;
}

function distinctRuns(points: ChartPoint[]): string[] {
  return [...new Set(points.map((p) => p.run))].sort();
}

/**
 * A Vega-Lite line chart of one metric over steps, one coloured line per run. Data comes only from the named
 * dataset "points", so a live view can be updated with new rows without recompiling the spec.
 */
export function lineChartSpec(options: LineChartOptions): TopLevelSpec {
  const { metric, points = [], width = 'container', height = 200 } = options;
  const runs = options.runs ?? distinctRuns(points);
  const title = options.title === undefined ? metric : options.title;
  const xTitle = options.xTitle ?? 'step';
  const yTitle = options.yTitle === undefined ? metric : options.yTitle;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(title === null ? {} : { title: { text: title, anchor: 'start', fontSize: 12 } }),
    width,
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    background: 'transparent',
    data: { name: POINTS_DATASET },
    datasets: { [POINTS_DATASET]: points },
    mark: { type: 'line', clip: true, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: xTitle, scale: { zero: false, nice: false } },
      // '~r' (significant digits fitted to the tick step, trailing zeros trimmed) keeps labels short: Vega's default
      // labels a constant series (zero-width domain) '22.000000', and '~g' turns 80 into '8e+1'.
      y: {
        field: 'value',
        type: 'quantitative',
        title: yTitle,
        scale: options.yDomain ? { domain: options.yDomain, clamp: true } : { zero: false },
        axis: { format: '~r' },
      },
      color: {
        field: 'run',
        type: 'nominal',
        title: 'run',
        // A known run list pins each run to its hashed colour; otherwise fall back to the palette in order.
        scale: runs.length > 0 ? { domain: runs, range: runs.map(runColor) } : { range: [...RUN_PALETTE] },
        legend: runs.length > 1 ? { orient: 'bottom', direction: 'horizontal' } : null,
      },
      tooltip: [
        { field: 'run', type: 'nominal', title: 'run' },
        { field: 'step', type: 'quantitative', title: xTitle, format: '.6~g' },
        { field: 'value', type: 'quantitative', title: metric, format: '.6~g' },
      ],
    },
  };
}
