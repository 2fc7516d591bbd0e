export { type ChartPoint, type LineChartOptions, lineChartSpec, POINTS_DATASET } from './line-chart.js';
export { RUN_PALETTE, runColor } from './palette.js';
export { type PanelChart, type RunPanelOptions, runPanelSpecs, toChartPoints } from './run-panel.js';
