export { createBrowserEngine, type DuckDBAssets } from './browser-engine.js';
export { type ChartRequest, ChartSection } from './ChartSection.js';
export {
  BrowserEngineError,
  ChartRenderError,
  describeError,
  RefusedLoadError,
  WidgetsError,
} from './errors.js';
export { type GridLayout, gridLayout } from './grid-layout.js';
export { KeyValueTable } from './KeyValueTable.js';
export { MetricChart } from './MetricChart.js';
export { messages } from './messages.js';
export { RunHeader } from './RunHeader.js';
export { RunOverview } from './RunOverview.js';
export { RunPanel, type RunPanelOptions } from './RunPanel.js';
export type { RunDataSource, RunLoadStatus, RunSummary } from './run-source.js';
export { Throttle } from './throttle.js';
export { embedChart, refusingLoader, replaceDataset, resizeChart } from './vega-render.js';
