import type { TopLevelSpec } from 'vega-lite';

/** One logged histogram: `bins` are the n + 1 edges, `values` the n counts (sg.Histogram's reference). */
export interface HistogramStep {
  step: number;
  bins: number[];
  values: number[];
  /** The run it belongs to (workspace strips stack one row per run); the run id. */
  run?: string;
}

/** One coloured rectangle of a heat strip: a bin of one logged histogram. */
export interface HeatCell {
  /** The x span the histogram covers: from its step to the next logged step. */
  x0: number;
  x1: number;
  /** The bin's value range. */
  y0: number;
  y1: number;
  count: number;
  /** The step the histogram was logged at (tooltips). */
  step: number;
  run: string;
  /** What the strip of this run is labelled (its name). */
  label: string;
}

/** Colours of a heat strip, taken from the page's theme (JupyterLab CSS variables) by the widget. */
export interface HeatStripTheme {
  /** Axis labels and titles. */
  text: string;
  /** Axis lines, ticks and grid. */
  line: string;
  /** The colour of the fewest counts and of the most. */
  low: string;
  high: string;
}

/** Readable on JupyterLab's light theme; widgets pass the live theme's colours instead. */
export const DEFAULT_HEAT_THEME: HeatStripTheme = {
  text: '#616161',
  line: '#bdbdbd',
  low: '#e3eef9',
  high: '#08306b',
};

/** Name of the dataset a renderer replaces in place (`view.data(HEAT_CELLS_DATASET, cells)`). */
export const HEAT_CELLS_DATASET = 'cells';

/**
 * The rectangles of a heat strip: one per non-empty bin of each histogram, spanning x from its step to the next
 * histogram's step (the last one as wide as the gap before it). Empty bins are left out so the background shows.
 */
export function heatCells(
  steps: readonly HistogramStep[],
  runLabels: Readonly<Record<string, string>> = {},
): HeatCell[] {
  const byRun = new Map<string, HistogramStep[]>();
  for (const s of steps) {
    const run = s.run ?? '';
    const list = byRun.get(run);
    if (list) list.push(s);
    else byRun.set(run, [s]);
  }
  const cells: HeatCell[] = [];
  for (const [run, list] of byRun) {
    const label = runLabels[run] ?? run;
    const sorted = [...list].sort((a, b) => a.step - b.step);
    sorted.forEach((h, i) => {
      const next = sorted[i + 1]?.step;
      const previous = sorted[i - 1]?.step;
      const width = next !== undefined ? next - h.step : previous !== undefined ? h.step - previous : 1;
      for (let bin = 0; bin < h.values.length && bin + 1 < h.bins.length; bin++) {
        const count = h.values[bin];
        if (!(count > 0)) continue;
        cells.push({
          x0: h.step,
          x1: h.step + width,
          y0: h.bins[bin],
          y1: h.bins[bin + 1],
          count,
          step: h.step,
          run,
          label,
        });
      }
    });
  }
  return cells;
}

export interface HeatStripOptions {
  /** The histogram key, as the chart's title only (never a field name). */
  metric: string;
  /** Initial cells; leave empty to stream them in with view.data later. */
  cells?: HeatCell[];
  width?: number | 'container';
  /** Height of one strip (one per run). */
  height?: number;
  xTitle?: string;
  /** Title above the chart; defaults to the metric. Pass null for none. */
  title?: string | null;
  /** Several runs stack one strip per run, labelled by the cells' `label`. */
  stacked?: boolean;
  theme?: HeatStripTheme;
}

/**
 * A histogram over time as a heat strip (wandb's gradient/parameter panels): x = step, y = the values' bins,
 * colour = count on a square-root scale, so the few values in a distribution's tails still show. With several
 * runs, one strip per run, stacked, sharing both axes.
 */
export function heatStripSpec(options: HeatStripOptions): TopLevelSpec {
  const { metric, cells = [], width = 'container', height = 90, theme = DEFAULT_HEAT_THEME } = options;
  const xTitle = options.xTitle ?? 'step';
  const title = options.title === undefined ? metric : options.title;
  const stacked = options.stacked ?? false;
  const axis = {
    labelColor: theme.text,
    titleColor: theme.text,
    domainColor: theme.line,
    tickColor: theme.line,
  };
  const countScale = { type: 'sqrt' as const, range: [theme.low, theme.high], zero: true };
  const layer = {
    mark: { type: 'rect' as const, clip: true, strokeWidth: 0.5 },
    encoding: {
      x: { field: 'x0', type: 'quantitative' as const, title: xTitle, scale: { zero: false, nice: false } },
      x2: { field: 'x1' },
      y: { field: 'y0', type: 'quantitative' as const, title: null, scale: { zero: false, nice: false } },
      y2: { field: 'y1' },
      color: {
        field: 'count',
        type: 'quantitative' as const,
        scale: countScale,
        legend: null,
      },
      // A hairline in the cell's own colour closes the anti-aliasing seams between adjacent bins.
      stroke: {
        field: 'count',
        type: 'quantitative' as const,
        scale: countScale,
        legend: null,
      },
      tooltip: [
        { field: 'step', type: 'quantitative' as const, title: xTitle, format: 'd' },
        { field: 'y0', type: 'quantitative' as const, title: 'from', format: '.4~g' },
        { field: 'y1', type: 'quantitative' as const, title: 'to', format: '.4~g' },
        { field: 'count', type: 'quantitative' as const, title: 'count', format: '.6~g' },
      ],
    },
  };
  const common = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(title === null
      ? {}
      : { title: { text: title, anchor: 'start' as const, fontSize: 12, color: theme.text } }),
    background: 'transparent',
    data: { name: HEAT_CELLS_DATASET },
    datasets: { [HEAT_CELLS_DATASET]: cells },
    config: {
      axis: { ...axis, grid: false },
      view: { stroke: theme.line },
      header: { labelColor: theme.text },
    },
  };
  if (!stacked) {
    return {
      ...common,
      width,
      height,
      autosize: { type: 'fit-x', contains: 'padding' },
      ...layer,
    } as TopLevelSpec;
  }
  return {
    ...common,
    facet: {
      row: { field: 'label', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left' } },
    },
    spec: { width: typeof width === 'number' ? width : 300, height, ...layer },
    resolve: { scale: { x: 'shared', y: 'shared' } },
  } as TopLevelSpec;
}
