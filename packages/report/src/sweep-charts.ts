import {
  DEFAULT_HEAT_THEME,
  metricByTrialSpec,
  parallelCoordinatesSpec,
  parameterImportanceRows,
  parameterImportanceSpec,
  paramScatterSpec,
  scatterParameters,
} from '@spyglass/charts';
import type { SweepSnapshot } from '@spyglass/protocol';
import type { TopLevelSpec } from 'vega-lite';
import { themeConfig } from './chart-spec.js';
import { messages } from './messages.js';

/** Parameters that get a scatter of their own (the sweep panel shows one at a time behind a picker). */
export const SCATTERS_PER_SWEEP = 6;

export interface SweepChartSpec {
  /** 'parallel', 'by-trial', 'scatter:<param>' or 'importance'. */
  name: string;
  title: string;
  spec: TopLevelSpec;
  /** Spans the whole width (the others share a row two by two). */
  wide: boolean;
}

/**
 * The sweep panel's charts for one snapshot (charts/src/sweep): parallel coordinates, the metric by trial with
 * the best so far, the metric against each parameter, and parameter importance when the sweep computed it. The
 * page's colours replace the JupyterLab theme's.
 */
export function sweepChartSpecs(snapshot: SweepSnapshot, dark: boolean): SweepChartSpec[] {
  const config = themeConfig(dark);
  const theme = dark ? { ...DEFAULT_HEAT_THEME, text: '#d4d4d4', line: '#5a5a5a' } : DEFAULT_HEAT_THEME;
  const themed = (spec: TopLevelSpec) => withConfig(spec, config);
  const metric = snapshot.sweep.metric?.name ?? messages.sweepMetric;
  const charts: SweepChartSpec[] = [];
  if (snapshot.sweep.parameters.length > 0) {
    const spec = parallelCoordinatesSpec({ snapshot, theme });
    charts.push({ name: 'parallel', title: messages.sweepParallel(metric), spec: themed(spec), wide: true });
  }
  const byTrial = themed(metricByTrialSpec({ snapshot }));
  charts.push({ name: 'by-trial', title: messages.sweepByTrial(metric), spec: byTrial, wide: false });
  for (const param of scatterParameters(snapshot).slice(0, SCATTERS_PER_SWEEP)) {
    const spec = themed(paramScatterSpec({ snapshot, param }));
    charts.push({ name: `scatter:${param}`, title: messages.sweepScatter(metric, param), spec, wide: false });
  }
  if (parameterImportanceRows(snapshot).length > 0) {
    const spec = themed(parameterImportanceSpec({ snapshot, theme }));
    charts.push({ name: 'importance', title: messages.sweepImportance(metric), spec, wide: true });
  }
  return charts;
}

/** `spec` with the page's config merged in, key by key, under what the spec sets itself. */
function withConfig(spec: TopLevelSpec, page: Record<string, unknown>): TopLevelSpec {
  const own = ((spec as { config?: Record<string, unknown> }).config ?? {}) as Record<string, object>;
  const merged: Record<string, unknown> = { ...page };
  for (const [key, value] of Object.entries(own)) {
    merged[key] = { ...((page[key] as object | undefined) ?? {}), ...value };
  }
  return { ...spec, config: merged } as TopLevelSpec;
}
