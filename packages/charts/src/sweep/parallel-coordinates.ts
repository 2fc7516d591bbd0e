import type { ParamValue, SweepParameter, SweepSnapshot, TrialState } from '@spyglass/protocol';
import type { TopLevelSpec } from 'vega-lite';
import { DEFAULT_HEAT_THEME, type HeatStripTheme } from '../histogram-strip.js';
import {
  chartFrame,
  formatParam,
  metricColorScale,
  metricTitle,
  NO_METRIC_COLOR,
  TRIAL_DASH,
  TRIAL_STATE_TITLE,
  TRIAL_STATES,
  trialTooltip,
} from './trial-style.js';

/** Tick and axis labels: readable at a glance (Vega's 9–10 px default was too small to read values off). */
export const PARALLEL_LABEL_SIZE = 11;

/** Named datasets a renderer replaces in place: one row per (trial, axis), and the axes' tick labels. */
export const PARALLEL_LINES = 'lines';
export const PARALLEL_TICKS = 'ticks';

/** One vertex of a trial's polyline: its value on one axis, mapped to [0, 1]. */
export interface ParallelLineRow {
  trial: number;
  axis: string;
  /** The axis's position from the left, so each line joins its axes in order. */
  position: number;
  norm: number;
  /** The raw value, as text, for tooltips. */
  value: string;
  metric: number | null;
  state: TrialState;
}

/** A tick label on an axis. */
export interface ParallelTickRow {
  axis: string;
  norm: number;
  label: string;
}

/** How one axis maps values to [0, 1]. The metric is the last axis. */
interface Axis {
  name: string;
  scale: 'linear' | 'log' | 'category';
  lo: number;
  hi: number;
  categories: string[];
}

const transform = (scale: Axis['scale'], v: number) => (scale === 'log' ? Math.log10(v) : v);

function numericAxis(name: string, param: SweepParameter | null, observed: number[]): Axis {
  const bounds = [...observed, ...[param?.min, param?.max].filter((v): v is number => typeof v === 'number')];
  const log = param?.log === true && bounds.length > 0 && bounds.every((v) => v > 0);
  const scale = log ? 'log' : 'linear';
  const t = bounds.map((v) => transform(scale, v));
  return { name, scale, lo: Math.min(...t), hi: Math.max(...t), categories: [] };
}

function categoryAxis(param: SweepParameter, observed: ParamValue[]): Axis {
  const categories = [...(param.values ?? []), ...observed].map((v) => formatParam(v));
  return { name: param.name, scale: 'category', lo: 0, hi: 0, categories: [...new Set(categories)] };
}

/** The axes of a snapshot: every parameter that varies (constants say nothing), then the metric if logged. */
function axesOf(snapshot: SweepSnapshot): Axis[] {
  const { trials, sweep } = snapshot;
  const axes: Axis[] = [];
  for (const param of sweep.parameters) {
    if (param.kind === 'constant') continue;
    const observed = trials.map((t) => t.params[param.name]).filter((v) => v !== undefined);
    const numeric = observed.every((v) => typeof v === 'number' || v === null);
    if (param.kind === 'categorical' || !numeric) axes.push(categoryAxis(param, observed));
    else
      axes.push(
        numericAxis(
          param.name,
          param,
          observed.filter((v): v is number => typeof v === 'number'),
        ),
      );
  }
  const metrics = trials.map((t) => t.metric).filter((m): m is number => m !== null);
  if (metrics.length > 0) axes.push(numericAxis(metricTitle(sweep.metric), null, metrics));
  return axes;
}

function normalise(axis: Axis, value: ParamValue | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (axis.scale === 'category') {
    const i = axis.categories.indexOf(formatParam(value));
    if (i < 0) return null;
    return axis.categories.length === 1 ? 0.5 : i / (axis.categories.length - 1);
  }
  if (typeof value !== 'number' || (axis.scale === 'log' && value <= 0)) return null;
  if (axis.hi === axis.lo) return 0.5;
  return (transform(axis.scale, value) - axis.lo) / (axis.hi - axis.lo);
}

function ticksOf(axis: Axis): ParallelTickRow[] {
  if (axis.scale === 'category')
    return axis.categories.map((label) => ({ axis: axis.name, norm: normalise(axis, label) ?? 0.5, label }));
  const at = (f: number) => {
    const t = axis.lo + f * (axis.hi - axis.lo);
    // Three significant digits: a tick is a landmark, the exact values are in the tooltips and the table.
    return formatParam(axis.scale === 'log' ? 10 ** t : t, 3);
  };
  if (axis.hi === axis.lo) return [{ axis: axis.name, norm: 0.5, label: at(0) }];
  return [0, 0.5, 1].map((f) => ({ axis: axis.name, norm: f, label: at(f) }));
}

/** The names of the axes, left to right: the varying parameters, then the metric once a trial has logged it. */
export function parallelAxisNames(snapshot: SweepSnapshot): string[] {
  return axesOf(snapshot).map((a) => a.name);
}

/**
 * Rows for the parallel coordinates: each axis scaled to [0, 1] on its own (log axes in log space, categories
 * evenly spaced), so parameters of any range share one chart. A trial without a metric ends at its last parameter.
 */
export function parallelCoordinatesData(snapshot: SweepSnapshot): {
  lines: ParallelLineRow[];
  ticks: ParallelTickRow[];
} {
  const axes = axesOf(snapshot);
  const metricAxis = axes.length > 0 && snapshot.trials.some((t) => t.metric !== null) ? axes.length - 1 : -1;
  const lines: ParallelLineRow[] = [];
  for (const trial of snapshot.trials) {
    axes.forEach((axis, position) => {
      const raw = position === metricAxis ? trial.metric : trial.params[axis.name];
      const norm = normalise(axis, raw);
      if (norm === null) return;
      lines.push({
        trial: trial.index,
        axis: axis.name,
        position,
        norm,
        value: formatParam(raw),
        metric: trial.metric,
        state: trial.state,
      });
    });
  }
  return { lines, ticks: axes.flatMap(ticksOf) };
}

export interface ParallelCoordinatesOptions {
  snapshot: SweepSnapshot;
  width?: number | 'container';
  height?: number;
  /** Text and rule colours; the widget passes the JupyterLab theme's (heatThemeOf), so dark themes read too. */
  theme?: Pick<HeatStripTheme, 'text' | 'line'>;
}

/**
 * Parallel coordinates of parameters → metric, one line per trial coloured by its metric; trials without a metric
 * are grey, and the line style tells finished, running, stopped-early and failed trials apart. The axis order is
 * fixed in the spec; the data arrive through the "lines" and "ticks" datasets, so new snapshots update in place
 * as long as the axis names stay the same.
 */
export function parallelCoordinatesSpec(options: ParallelCoordinatesOptions): TopLevelSpec {
  const { snapshot, width = 'container', height = 240, theme = DEFAULT_HEAT_THEME } = options;
  const { lines, ticks } = parallelCoordinatesData(snapshot);
  const axisNames = parallelAxisNames(snapshot);
  // The metric axis appears with the first logged value; reserving it keeps the spec (and the view) stable.
  const domain = [...axisNames];
  const metricName = metricTitle(snapshot.sweep.metric);
  if (!domain.includes(metricName)) domain.push(metricName);
  const x = {
    field: 'axis',
    type: 'nominal' as const,
    scale: { type: 'point' as const, domain, padding: 0.3 },
    axis: {
      orient: 'top' as const,
      title: null,
      labelAngle: 0,
      labelLimit: 140,
      labelFontSize: PARALLEL_LABEL_SIZE,
      labelColor: theme.text,
      domain: false,
      ticks: false,
    },
  };
  const y = { field: 'norm', type: 'quantitative' as const, scale: { domain: [0, 1] }, axis: null };
  const dash = {
    field: 'state',
    type: 'nominal' as const,
    title: TRIAL_STATE_TITLE,
    scale: { domain: [...TRIAL_STATES], range: TRIAL_DASH.map((d) => [...d]) },
    legend: null,
  };
  const tooltip = [
    ...trialTooltip(),
    { field: 'axis', type: 'nominal' as const, title: 'axis' },
    { field: 'value', type: 'nominal' as const, title: 'value' },
  ];
  const line = { type: 'line' as const, strokeWidth: 1.5, opacity: 0.85 };
  return {
    ...chartFrame(width, height),
    config: {
      view: { stroke: null },
      legend: {
        labelColor: theme.text,
        titleColor: theme.text,
        labelFontSize: PARALLEL_LABEL_SIZE,
        titleFontSize: PARALLEL_LABEL_SIZE,
      },
    },
    datasets: { [PARALLEL_LINES]: lines, [PARALLEL_TICKS]: ticks },
    layer: [
      {
        data: { name: PARALLEL_TICKS },
        mark: { type: 'rule', color: theme.line },
        encoding: { x, y: { datum: 0, scale: { domain: [0, 1] }, axis: null }, y2: { datum: 1 } },
      },
      {
        data: { name: PARALLEL_LINES },
        transform: [{ filter: { field: 'metric', valid: true } }],
        mark: { ...line, cursor: 'pointer' as const },
        encoding: {
          x,
          y,
          order: { field: 'position', type: 'quantitative' },
          detail: { field: 'trial', type: 'nominal' },
          color: {
            field: 'metric',
            type: 'quantitative',
            title: metricName,
            scale: metricColorScale(snapshot.sweep.metric),
            legend: { orient: 'right', gradientLength: Math.max(60, height - 40) },
          },
          strokeDash: dash,
          tooltip,
        },
      },
      {
        data: { name: PARALLEL_LINES },
        transform: [{ filter: { not: { field: 'metric', valid: true } } }],
        mark: { ...line, color: NO_METRIC_COLOR, cursor: 'pointer' as const },
        encoding: {
          x,
          y,
          order: { field: 'position', type: 'quantitative' },
          detail: { field: 'trial', type: 'nominal' },
          strokeDash: dash,
          tooltip,
        },
      },
      {
        data: { name: PARALLEL_TICKS },
        mark: {
          type: 'text',
          align: 'left',
          dx: 3,
          fontSize: PARALLEL_LABEL_SIZE,
          color: theme.text,
        },
        encoding: { x, y, text: { field: 'label', type: 'nominal' } },
      },
    ],
  };
}
