export { createBrowserEngine, type DuckDBAssets } from './browser-engine.js';
export { type ChartRequest, ChartSection } from './ChartSection.js';
export {
  type FrameDecodeBudget,
  type FrameDecodeOptions,
  FrameDecodeWorker,
  type WorkerLike,
} from './decode/FrameDecodeWorker.js';
export { button, copyText, download, downloadUrl, el, option, select, setOptions } from './dom.js';
export { EvalComparePanel, type EvalComparePanelOptions, type EvalsSource } from './EvalComparePanel.js';
export {
  BrowserEngineError,
  ChartRenderError,
  describeError,
  RefusedLoadError,
  WidgetsError,
} from './errors.js';
export * from './evals/index.js';
export { type GridLayout, gridLayout } from './grid-layout.js';
export { KeyValueTable } from './KeyValueTable.js';
export { LineagePanel, type LineagePanelOptions } from './LineagePanel.js';
export { LoggedChartsSection, type LoggedChartView } from './LoggedChartsSection.js';
export { MetricChart } from './MetricChart.js';
export { messages } from './messages.js';
export { PlaygroundPanel, type PlaygroundPanelOptions, type PlaygroundSource } from './PlaygroundPanel.js';
export * from './playground/index.js';
export { RunHeader } from './RunHeader.js';
export { RunOverview } from './RunOverview.js';
export { RunPanel, type RunPanelOptions } from './RunPanel.js';
export { rowAfterKey } from './row-keys.js';
export { type SweepControl, SweepPanel, type SweepPanelOptions, type TrialRun } from './SweepPanel.js';
export { styledButton, styledControl } from './styled-controls.js';
export type { SweepAction } from './sweep/SweepHeader.js';
export { sweepMessages } from './sweep/sweep-messages.js';
export {
  availableControls,
  bestTrial,
  isSnapshotBehind,
  sweepProgress,
  sweepWarnings,
} from './sweep/sweep-progress.js';
export {
  type LiveCallFeed,
  TracePanel,
  type TracePanelOptions,
  type TraceSource,
} from './TracePanel.js';
export * from './table/index.js';
export { Throttle } from './throttle.js';
export * from './traces/index.js';
export { embedChart, refillDataset, refusingLoader, replaceDataset, resizeChart } from './vega-render.js';
export * from './workspace/index.js';
