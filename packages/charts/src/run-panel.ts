import type { TopLevelSpec } from 'vega-lite';
import { type ChartPoint, type LineChartOptions, lineChartSpec } from './line-chart.js';

/** One chart of a run panel. */
export interface PanelChart {
  metric: string;
  spec: TopLevelSpec;
}

export interface RunPanelOptions extends Omit<LineChartOptions, 'metric' | 'points'> {
  /** Rows per metric, e.g. from RunDatabase.series with the run id attached. */
  points?: Record<string, ChartPoint[]>;
}

/** One line chart per metric, in the order given, sharing size and run colours. */
export function runPanelSpecs(metrics: string[], options: RunPanelOptions = {}): PanelChart[] {
  const { points = {}, ...shared } = options;
  return metrics.map((metric) => ({
    metric,
    spec: lineChartSpec({ ...shared, metric, points: points[metric] ?? [] }),
  }));
}

/** Attaches a run id to (step, value) rows so they fit the "points" dataset. */
export function toChartPoints(run: string, series: { step: number; value: number }[]): ChartPoint[] {
  return series.map(({ step, value }) => ({ step, value, run }));
}
