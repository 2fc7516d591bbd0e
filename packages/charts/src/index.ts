export { flattenRecord, formatNumber, formatValue, type KeyValueRow, truncate } from './format-value.js';
export { type ChartPoint, type LineChartOptions, lineChartSpec, POINTS_DATASET } from './line-chart.js';
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
export { type PanelChart, type RunPanelOptions, runPanelSpecs, toChartPoints } from './run-panel.js';
export { formatDuration, type RunTimes, runDurationSeconds } from './run-timing.js';
