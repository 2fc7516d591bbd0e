import type { SweepParameter, SweepSnapshot, TrialState } from '@spyglass/protocol';
import type { TopLevelSpec } from 'vega-lite';
import { chartFrame, formatParam, metricTitle, stateColor, stateShape, trialTooltip } from './trial-style.js';

/** Named dataset of the scatter. */
export const SCATTER_DATASET = 'scatter';

export interface ScatterRow {
  trial: number;
  /** The parameter's value: a number on a numeric axis, its text on a categorical one. */
  x: number | string;
  metric: number;
  state: TrialState;
}

/** The parameters worth plotting against the metric (those that vary), in the sweep's order. */
export function scatterParameters(snapshot: SweepSnapshot): string[] {
  return snapshot.sweep.parameters.filter((p) => p.kind !== 'constant').map((p) => p.name);
}

/** How the x axis shows a parameter: categories as nominal, log-sampled numbers on a log scale. */
export function scatterAxisKind(snapshot: SweepSnapshot, param: string): 'nominal' | 'linear' | 'log' {
  const spec: SweepParameter | undefined = snapshot.sweep.parameters.find((p) => p.name === param);
  const values = snapshot.trials.map((t) => t.params[param]).filter((v) => v !== undefined && v !== null);
  if (spec?.kind === 'categorical' || !values.every((v) => typeof v === 'number')) return 'nominal';
  return spec?.log && values.every((v) => (v as number) > 0) ? 'log' : 'linear';
}

/** One point per trial that has both a value for the parameter and a metric. */
export function scatterRows(snapshot: SweepSnapshot, param: string): ScatterRow[] {
  const nominal = scatterAxisKind(snapshot, param) === 'nominal';
  return snapshot.trials.flatMap((t) => {
    const v = t.params[param];
    if (t.metric === null || v === undefined || v === null) return [];
    const x = nominal ? formatParam(v) : (v as number);
    return [{ trial: t.index, x, metric: t.metric, state: t.state }];
  });
}

export interface ParamScatterOptions {
  snapshot: SweepSnapshot;
  param: string;
  width?: number | 'container';
  height?: number;
}

/** A scatter of one parameter against the metric, coloured by trial state; log axes for log-sampled parameters. */
export function paramScatterSpec(options: ParamScatterOptions): TopLevelSpec {
  const { snapshot, param, width = 'container', height = 180 } = options;
  const metric = metricTitle(snapshot.sweep.metric);
  const kind = scatterAxisKind(snapshot, param);
  const declared = snapshot.sweep.parameters.find((p) => p.name === param)?.values;
  const x =
    kind === 'nominal'
      ? {
          field: 'x',
          type: 'nominal' as const,
          title: param,
          scale: declared ? { domain: declared.map((value) => formatParam(value)) } : {},
          axis: { labelAngle: 0 },
        }
      : {
          field: 'x',
          type: 'quantitative' as const,
          title: param,
          scale: kind === 'log' ? { type: 'log' as const } : { zero: false },
          // A log axis's minor grid lines (2…9 per decade) crowd a small chart.
          axis: kind === 'log' ? { grid: false, labelOverlap: 'greedy' as const, labelSeparation: 6 } : {},
        };
  return {
    ...chartFrame(width, height),
    datasets: { [SCATTER_DATASET]: scatterRows(snapshot, param) },
    data: { name: SCATTER_DATASET },
    mark: { type: 'point', filled: true, size: 45, cursor: 'pointer', opacity: 0.85 },
    encoding: {
      x,
      y: { field: 'metric', type: 'quantitative', title: metric, scale: { zero: false } },
      color: stateColor(),
      shape: stateShape(),
      tooltip: [
        ...trialTooltip(),
        kind === 'nominal'
          ? { field: 'x', type: 'nominal' as const, title: param }
          : { field: 'x', type: 'quantitative' as const, title: param, format: '.6~g' },
        { field: 'metric', type: 'quantitative', title: metric, format: '.6~g' },
      ],
    },
  };
}
