import type { TopLevelSpec } from 'vega-lite';
import { assignedRunColor, paletteColor, type RunColors } from '../palette.js';
import { xAxisFor } from './chart-axes.js';
import { DIMMED, FADED_RAW, HIGHLIGHT_WIDTH, LINE_WIDTH } from './line-strokes.js';

/** One point of one run's line, as the data layer returns it after M4 downsampling (and EMA when smoothing). */
export interface LineRow {
  /** The run id: colours and highlighting key on it. */
  run: string;
  x: number;
  y: number;
  /** The EMA-smoothed value at x, or null when smoothing is off. */
  smoothed: number | null;
}

/** One x bucket of a group of runs: the band spans min..max, the line follows the mean. */
export interface BandRow {
  group: string;
  x: number;
  min: number;
  max: number;
  mean: number;
}

/** Named datasets a widget replaces through changesets; the spec never carries more than the downsampled rows. */
export const LINES_DATASET = 'lines';
export const BANDS_DATASET = 'bands';

/** Signals and params the widget reads or sets; see docs/workspace.md. */
export const LINE_PARAMS = {
  /** Interval selection over x; its value `{x: [lo, hi]}` is the range to zoom to on pointer-up. */
  brush: 'brush',
  /** Run ids to emphasise (an array); empty means none is emphasised. */
  highlight: 'highlight',
  /** Run id → display name for the legend and tooltips (data-derived, drawn as escaped SVG text by vega). */
  labels: 'run_labels',
} as const;

export type XType = 'quantitative' | 'temporal';

export interface WorkspaceLineOptions {
  metric: string;
  /** Run ids in legend order (the runs on the chart); colours come from `colors`, else runColor(run id). */
  runs: string[];
  /** The project's run colours (projectRunColors); a run missing here gets its hashed colour. */
  colors?: RunColors;
  /** Run id → name. */
  labels?: Record<string, string>;
  /** Groups in legend order when the chart shows bands; null or absent draws one line per run. */
  groups?: string[] | null;
  /** Temporal for wall time (rows carry epoch milliseconds), quantitative otherwise. */
  xType?: XType;
  xTitle?: string;
  logX?: boolean;
  logY?: boolean;
  /** True when rows carry EMA values: the raw line is drawn faded under the smoothed one. */
  smoothing?: boolean;
  highlight?: string[];
  /**
   * False in the workspace, whose panel header shows the title and whose HTML legend names every series; an
   * exported spec keeps both (default true) so it reads on its own.
   */
  titleAndLegend?: boolean;
  width?: number | 'container';
  height?: number;
  lines?: LineRow[];
  bands?: BandRow[];
}

const HIGHLIGHT_ACTIVE = `length(${LINE_PARAMS.highlight}) > 0`;
const IS_HIGHLIGHTED = `indexof(${LINE_PARAMS.highlight}, datum.run) >= 0`;

/** The colour of a group's band and mean line: groups take palette colours in legend order, so none collide. */
export function groupColor(group: string, groups: readonly string[]): string {
  return paletteColor(Math.max(0, groups.indexOf(group)));
}

/** The colour of one series of a chart: a run by the project's assignment, a group by its place among `domain`. */
export function seriesColor(
  field: 'run' | 'group',
  key: string,
  domain: readonly string[],
  colors?: RunColors,
): string {
  return field === 'run' ? assignedRunColor(key, colors) : groupColor(key, domain);
}

/**
 * The colour encoding of runs or groups. Its Vega legend (exported specs only) lists every series in columns
 * with names uncut; the workspace draws its own HTML legend instead.
 */
export function colorEncoding(
  field: 'run' | 'group',
  domain: string[],
  withLegend: boolean,
  colors?: RunColors,
) {
  const legend =
    withLegend && domain.length > 1
      ? {
          orient: 'bottom' as const,
          direction: 'horizontal' as const,
          columns: Math.min(3, domain.length),
          labelLimit: 0,
          title: null,
          ...(field === 'run' ? { labelExpr: `${LINE_PARAMS.labels}[datum.value] || datum.value` } : {}),
        }
      : null;
  return {
    field,
    type: 'nominal' as const,
    scale: { domain, range: domain.map((key) => seriesColor(field, key, domain, colors)) },
    legend,
  };
}

/**
 * The workspace line plot of one metric across many runs: one line per run coloured by run id (or, when runs
 * are grouped, a min/max band and a mean line per group), EMA smoothing over a faded raw line, log scales,
 * tooltips, a legend, an x brush the widget turns into a zoom, and a `highlight` param for linked selection.
 * Data comes only from the named datasets. The workspace draws grouped bands with it directly; per-run lines are
 * painted by the widget's canvas layer over `workspaceLineFrameSpec`, and this spec with the drawn rows inlined
 * is what a line panel exports (it renders the same picture anywhere, without Spyglass).
 */
export function workspaceLineSpec(options: WorkspaceLineOptions): TopLevelSpec {
  const { metric, xType = 'quantitative', xTitle = 'step' } = options;
  const grouped = options.groups != null;
  const legend = options.titleAndLegend !== false;
  const { x, yScale, logX, logY } = lineAxes(options);
  const positive = (field: string) => [
    ...(logY ? [`datum.${field} > 0`] : []),
    ...(logX ? ['datum.x > 0'] : []),
    `isValid(datum.${field})`,
    `isFinite(datum.${field})`,
  ];
  const filter = (field: string) => ({ filter: positive(field).join(' && ') });
  const brush = brushParam();
  const tooltipX = {
    field: 'x',
    type: xType,
    title: xTitle,
    ...(xType === 'temporal' ? { format: '%Y-%m-%d %H:%M:%S' } : { format: '.6~g' }),
  };

  const layers = grouped
    ? [
        {
          data: { name: BANDS_DATASET },
          params: [brush],
          transform: [filter('min'), filter('max')],
          mark: { type: 'area' as const, opacity: 0.2, clip: true },
          encoding: {
            x,
            y: { field: 'min', type: 'quantitative' as const, title: null, scale: yScale },
            y2: { field: 'max' },
            color: colorEncoding('group', options.groups ?? [], false),
          },
        },
        {
          data: { name: BANDS_DATASET },
          transform: [filter('mean')],
          mark: { type: 'line' as const, clip: true, strokeWidth: 1.5 },
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative' as const, title: null, scale: yScale },
            color: colorEncoding('group', options.groups ?? [], legend),
            tooltip: [
              { field: 'group', type: 'nominal' as const, title: 'group' },
              tooltipX,
              { field: 'mean', type: 'quantitative' as const, title: `${metric} (mean)`, format: '.6~g' },
              { field: 'min', type: 'quantitative' as const, title: 'min', format: '.6~g' },
              { field: 'max', type: 'quantitative' as const, title: 'max', format: '.6~g' },
            ],
          },
        },
      ]
    : [
        lineLayer('y', options.smoothing === true ? FADED_RAW : 1, [brush], filter('y'), x, yScale, options),
        ...(options.smoothing === true
          ? [lineLayer('smoothed', 1, [], filter('smoothed'), x, yScale, options)]
          : []),
      ];

  return {
    ...lineChartFrame(options),
    datasets: { [LINES_DATASET]: options.lines ?? [], [BANDS_DATASET]: options.bands ?? [] },
    layer: layers,
  } as TopLevelSpec;
}

/** The x encoding and y scale every workspace line chart shares (log only where the axis allows it). */
export function lineAxes(options: WorkspaceLineOptions) {
  const { xType = 'quantitative', xTitle = 'step' } = options;
  const logY = options.logY === true;
  const logX = options.logX === true && xType === 'quantitative';
  const x = {
    field: 'x',
    type: xType,
    title: xTitle,
    axis: xAxisFor(options.width),
    scale: { nice: false, ...(logX ? { type: 'log' as const } : { zero: false }) },
  };
  const yScale = logY ? { type: 'log' as const } : { zero: false };
  return { x, yScale, logX, logY };
}

/** The interval selection over x the widget turns into a zoom on pointer-up. */
export function brushParam() {
  return { name: LINE_PARAMS.brush, select: { type: 'interval' as const, encodings: ['x' as const] } };
}

/** Title, size, autosize and the params a workspace line chart's widget sets (highlight, labels). */
export function lineChartFrame(options: WorkspaceLineOptions) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.titleAndLegend === false
      ? {}
      : { title: { text: options.metric, anchor: 'start' as const, fontSize: 12 } }),
    width: options.width ?? ('container' as const),
    height: options.height ?? 200,
    autosize: { type: 'fit-x' as const, contains: 'padding' as const },
    background: 'transparent',
    params: [
      { name: LINE_PARAMS.highlight, value: options.highlight ?? [] },
      { name: LINE_PARAMS.labels, value: options.labels ?? {} },
    ],
    resolve: { scale: { color: 'shared' as const } },
  };
}

function lineLayer(
  field: 'y' | 'smoothed',
  baseOpacity: number,
  params: object[],
  filter: { filter: string },
  x: object,
  yScale: object,
  options: WorkspaceLineOptions,
) {
  // The raw line under a smoothed one stays faded; highlighting only dims the runs not selected.
  const dimmed = Math.min(baseOpacity, DIMMED);
  // Per-vertex work is what a zoom pays 100k times: no tooltip or aria description per point (both format
  // numbers for every vertex), no derived label field. Hover is a nearest-point lookup in the widget instead.
  return {
    data: { name: LINES_DATASET },
    params,
    transform: [filter],
    // Rows are filtered above, so no per-vertex `defined` test (invalid: 'filter' folds it into the data filter).
    mark: { type: 'line' as const, clip: true, aria: false, invalid: 'filter' },
    encoding: {
      x,
      y: { field, type: 'quantitative' as const, title: null, scale: yScale, axis: { format: '~r' } },
      color: colorEncoding(
        'run',
        options.runs,
        field === 'y' && options.titleAndLegend !== false,
        options.colors,
      ),
      detail: { field: 'run', type: 'nominal' as const },
      opacity: {
        condition: { test: `${HIGHLIGHT_ACTIVE} && !(${IS_HIGHLIGHTED})`, value: dimmed },
        value: baseOpacity,
      },
      strokeWidth: {
        condition: { test: `${HIGHLIGHT_ACTIVE} && ${IS_HIGHLIGHTED}`, value: HIGHLIGHT_WIDTH },
        value: LINE_WIDTH,
      },
    },
  };
}
