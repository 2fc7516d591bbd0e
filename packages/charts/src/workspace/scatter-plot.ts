import type { TopLevelSpec } from 'vega-lite';
import { assignedRunColor, type RunColors } from '../palette.js';
import { LINE_PARAMS } from './line-plot.js';

/** One run on a scatter or bar panel: two run columns (config keys, summary metrics...) as numbers. */
export interface RunPointRow {
  run: string;
  x: number;
  y: number;
}

/** Dataset a scatter/bar panel reads; the widget refills it when the runs or their filter change. */
export const RUN_POINTS_DATASET = 'run_points';

export interface RunPlotOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  runs: string[];
  /** The project's run colours (projectRunColors); a run missing here gets its hashed colour. */
  colors?: RunColors;
  labels?: Record<string, string>;
  highlight?: string[];
  /** False in the workspace, whose panel header shows the title; exported specs keep it (default true). */
  showTitle?: boolean;
  rows?: RunPointRow[];
  logX?: boolean;
  logY?: boolean;
  width?: number | 'container';
  height?: number;
}

/** Shared header of the run-level panels: params for highlighting and names, the one dataset. */
export function runPlotFrame(options: RunPlotOptions) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.showTitle === false
      ? {}
      : { title: { text: options.title, anchor: 'start' as const, fontSize: 12 } }),
    width: options.width ?? 'container',
    height: options.height ?? 200,
    autosize: { type: 'fit-x' as const, contains: 'padding' as const },
    background: 'transparent',
    params: [
      { name: LINE_PARAMS.highlight, value: options.highlight ?? [] },
      { name: LINE_PARAMS.labels, value: options.labels ?? {} },
    ],
    data: { name: RUN_POINTS_DATASET },
    datasets: { [RUN_POINTS_DATASET]: options.rows ?? [] },
  };
}

/** Encodings every run-level mark shares: colour by run id, highlight emphasis, a named tooltip. */
export function runMarkEncoding(runs: string[], colors?: RunColors) {
  return {
    color: {
      field: 'run',
      type: 'nominal' as const,
      scale: { domain: runs, range: runs.map((run) => assignedRunColor(run, colors)) },
      legend: null,
    },
    opacity: {
      condition: {
        test: `length(${LINE_PARAMS.highlight}) > 0 && indexof(${LINE_PARAMS.highlight}, datum.run) < 0`,
        value: 0.2,
      },
      value: 0.9,
    },
  };
}

export const RUN_NAME_TRANSFORM = {
  calculate: `${LINE_PARAMS.labels}[datum.run] || datum.run`,
  as: 'run_name',
};

/** One point per run at (x column, y column), coloured like the run everywhere else. */
export function scatterSpec(options: RunPlotOptions): TopLevelSpec {
  const logFilter = [
    ...(options.logX ? ['datum.x > 0'] : []),
    ...(options.logY ? ['datum.y > 0'] : []),
    'isFinite(datum.x)',
    'isFinite(datum.y)',
  ].join(' && ');
  return {
    ...runPlotFrame(options),
    transform: [{ filter: logFilter }, RUN_NAME_TRANSFORM],
    mark: { type: 'point', filled: true, size: 60 },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: options.xTitle,
        scale: options.logX ? { type: 'log' } : { zero: false },
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: options.yTitle,
        scale: options.logY ? { type: 'log' } : { zero: false },
      },
      ...runMarkEncoding(options.runs, options.colors),
      size: {
        condition: { test: `indexof(${LINE_PARAMS.highlight}, datum.run) >= 0`, value: 160 },
        value: 60,
      },
      tooltip: [
        { field: 'run_name', type: 'nominal', title: 'run' },
        { field: 'x', type: 'quantitative', title: options.xTitle, format: '.6~g' },
        { field: 'y', type: 'quantitative', title: options.yTitle, format: '.6~g' },
      ],
    },
  } as TopLevelSpec;
}
