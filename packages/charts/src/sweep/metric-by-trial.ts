import type { SweepSnapshot, TrialState } from '@spyglass/protocol';
import type { TopLevelSpec } from 'vega-lite';
import { chartFrame, metricTitle, stateColor, stateShape, trialTooltip } from './trial-style.js';

/** Named dataset of the metric-by-trial chart. */
export const TRIALS_DATASET = 'trials';

export interface TrialMetricRow {
  trial: number;
  metric: number | null;
  best: number | null;
  state: TrialState;
}

/** One row per trial, in trial order. */
export function metricByTrialRows(snapshot: SweepSnapshot): TrialMetricRow[] {
  return [...snapshot.trials]
    .sort((a, b) => a.index - b.index)
    .map((t) => ({ trial: t.index, metric: t.metric, best: t.best_so_far, state: t.state }));
}

export interface MetricByTrialOptions {
  snapshot: SweepSnapshot;
  width?: number | 'container';
  height?: number;
}

/**
 * The metric of each trial over the trial index (points by state) with the best value so far as a step line, the
 * usual way to see whether a search is still improving.
 */
export function metricByTrialSpec(options: MetricByTrialOptions): TopLevelSpec {
  const { snapshot, width = 'container', height = 180 } = options;
  const metric = metricTitle(snapshot.sweep.metric);
  const x = {
    field: 'trial',
    type: 'quantitative' as const,
    title: 'trial',
    scale: { zero: false, nice: false, padding: 8 },
    axis: { tickMinStep: 1, format: 'd' },
  };
  return {
    ...chartFrame(width, height),
    datasets: { [TRIALS_DATASET]: metricByTrialRows(snapshot) },
    data: { name: TRIALS_DATASET },
    encoding: { x },
    layer: [
      {
        transform: [{ filter: { field: 'best', valid: true } }],
        mark: { type: 'line', interpolate: 'step-after', color: '#757575', strokeWidth: 1.5 },
        encoding: {
          y: { field: 'best', type: 'quantitative', title: metric, scale: { zero: false } },
        },
      },
      {
        transform: [{ filter: { field: 'metric', valid: true } }],
        mark: { type: 'point', filled: true, size: 45, cursor: 'pointer', opacity: 0.9 },
        encoding: {
          y: { field: 'metric', type: 'quantitative', title: metric, scale: { zero: false } },
          color: stateColor(),
          shape: stateShape(),
          tooltip: [
            ...trialTooltip(),
            { field: 'metric', type: 'quantitative', title: metric, format: '.6~g' },
            { field: 'best', type: 'quantitative', title: 'best so far', format: '.6~g' },
          ],
        },
      },
    ],
  };
}
