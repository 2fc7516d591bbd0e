export { flattenRecord, formatNumber, formatValue, type KeyValueRow, truncate } from './format-value.js';
export {
  DEFAULT_HEAT_THEME,
  HEAT_CELLS_DATASET,
  type HeatCell,
  type HeatStripOptions,
  type HeatStripTheme,
  type HistogramStep,
  heatCells,
  heatStripSpec,
} from './histogram-strip.js';
export { type ChartPoint, type LineChartOptions, lineChartSpec, POINTS_DATASET } from './line-chart.js';
export { type LoggedChart, loggedCharts } from './logged-charts.js';
export { fixedDomain } from './metric-domain.js';
export {
  definitionFor,
  type MetricSection,
  type PlannedChart,
  type PlannedSection,
  planSections,
  SYSTEM_SECTION,
  sectionsFromMetrics,
  UNGROUPED_SECTION,
  visibleMetrics,
} from './metric-sections.js';
export { RUN_PALETTE, runColor } from './palette.js';
export { formatDuration, type RunTimes, runDurationSeconds } from './run-timing.js';
export { inertText, loadsCss, type SanitizedSpec, sanitizeRows, sanitizeVegaSpec } from './spec-sanitize.js';
export {
  type MetricByTrialOptions,
  metricByTrialRows,
  metricByTrialSpec,
  TRIALS_DATASET,
  type TrialMetricRow,
} from './sweep/metric-by-trial.js';
export {
  PARALLEL_LINES,
  PARALLEL_TICKS,
  type ParallelCoordinatesOptions,
  type ParallelLineRow,
  type ParallelTickRow,
  parallelAxisNames,
  parallelCoordinatesData,
  parallelCoordinatesSpec,
} from './sweep/parallel-coordinates.js';
export {
  type ParamScatterOptions,
  paramScatterSpec,
  SCATTER_DATASET,
  type ScatterRow,
  scatterAxisKind,
  scatterParameters,
  scatterRows,
} from './sweep/param-scatter.js';
export {
  IMPORTANCE_DATASET,
  type ImportanceRow,
  type ParameterImportanceOptions,
  parameterImportanceRows,
  parameterImportanceSpec,
} from './sweep/parameter-importance.js';
export { formatParam } from './sweep/trial-style.js';
export * from './workspace/index.js';
