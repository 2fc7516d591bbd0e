import type { ParamValue, SweepMetric, TrialState } from '@spyglass/protocol';

// What every sweep chart shares: how a trial's state is drawn and how its metric is coloured, so a failed or
// running trial looks the same in the parallel coordinates, the scatter and the metric-by-trial chart.

/** Trial states in legend order. 'claimed' (picked, not started) is drawn like 'running'. */
export const TRIAL_STATES: readonly TrialState[] = [
  'finished',
  'running',
  'stopped_early',
  'failed',
  'stopped',
  'claimed',
];

/** The title of every legend of trial states (wandb's runs table calls the column "State"). */
export const TRIAL_STATE_TITLE = 'Trial state';

/** Dash patterns by state: solid finished trials, dotted live ones, dashed failures. */
export const TRIAL_DASH: readonly number[][] = [
  [1, 0],
  [2, 2],
  [6, 3],
  [4, 2, 1, 2],
  [6, 3],
  [2, 2],
];

/** Colour of trials that have no metric (yet): failed, just started, or never logging it. */
export const NO_METRIC_COLOR = '#9e9e9e';

/** Point shapes by state for the scatter-like charts (same order as TRIAL_STATES). */
export const TRIAL_SHAPE: readonly string[] = [
  'circle',
  'triangle-up',
  'diamond',
  'cross',
  'square',
  'triangle-up',
];

/**
 * The continuous colour scale of the metric: viridis, turned so the best trials are dark (they matter most and
 * read best on a light page), whichever way the goal points.
 */
export function metricColorScale(metric: SweepMetric | null): { scheme: 'viridis'; reverse: boolean } {
  return { scheme: 'viridis', reverse: metric?.goal === 'maximize' };
}

/** The metric's name for titles, or a neutral word when the sweep names none. */
export function metricTitle(metric: SweepMetric | null): string {
  return metric?.name ?? 'metric';
}

/** A parameter value as a label: numbers shortened to six significant digits, the rest as JSON text would be. */
export function formatParam(value: ParamValue | undefined, digits = 6): string {
  if (value === undefined || value === null) return '–';
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
    return Number(value.toPrecision(digits)).toString();
  }
  return String(value);
}

/** The nominal colour of each state (same order as TRIAL_STATES), for charts that colour by state. */
export const TRIAL_COLOR: readonly string[] = [
  '#4c78a8',
  '#f58518',
  '#b279a2',
  '#e45756',
  '#9d755d',
  '#bab0ac',
];

/** The `color` encoding by trial state, with a legend of the states present. */
export function stateColor() {
  return {
    field: 'state',
    type: 'nominal' as const,
    title: TRIAL_STATE_TITLE,
    scale: { domain: [...TRIAL_STATES], range: [...TRIAL_COLOR] },
    // The states most sweeps show; 'stopped' and 'claimed' are rare and still coloured, just not listed.
    legend: {
      orient: 'bottom' as const,
      direction: 'horizontal' as const,
      values: ['finished', 'running', 'stopped_early', 'failed'],
    },
  };
}

/** The `shape` encoding by trial state, for the point charts (its legend merges with stateColor's). */
export function stateShape() {
  return {
    field: 'state',
    type: 'nominal' as const,
    scale: { domain: [...TRIAL_STATES], range: [...TRIAL_SHAPE] },
    title: TRIAL_STATE_TITLE,
  };
}

/** The first two tooltip lines of every per-trial mark: the trial's index and its state. */
export function trialTooltip() {
  return [
    { field: 'trial', type: 'quantitative' as const, title: 'trial' },
    { field: 'state', type: 'nominal' as const, title: 'state' },
  ];
}

/** The top of every sweep chart's spec: its size, fitted to the container's width, on the page's background. */
export function chartFrame(width: number | 'container', height: number) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    autosize: { type: 'fit-x' as const, contains: 'padding' as const },
    background: 'transparent',
  };
}
