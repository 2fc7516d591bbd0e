export { assignedRunColor, paletteColor, projectRunColors, type RunColors } from '../palette.js';
export { barSpec } from './bar-plot.js';
export { tickCountFor, xAxisFor } from './chart-axes.js';
export {
  chartLegend,
  type Legend,
  type LegendEntry,
  MAX_LEGEND_ENTRIES,
  moreLabel,
} from './chart-legend.js';
export {
  customPanelSpec,
  DEFAULT_CUSTOM_SPEC,
  DEFAULT_CUSTOM_SQL,
  parseCustomSpec,
  QUERY_DATASET,
  validateCustomSpec,
} from './custom-panel.js';
export { CustomSpecError, LayoutValidationError, WorkspaceModelError } from './errors.js';
export { EXTENT_DATASET, type ExtentRow, lineExtent, workspaceLineFrameSpec } from './line-frame.js';
export {
  BANDS_DATASET,
  type BandRow,
  groupColor,
  LINE_PARAMS,
  LINES_DATASET,
  type LineRow,
  seriesColor,
  type WorkspaceLineOptions,
  workspaceLineSpec,
  type XType,
} from './line-plot.js';
export {
  type DrawnLine,
  drawnLineOf,
  drawOrder,
  lineStrokes,
  type PathSink,
  type Stroke,
  tracePolyline,
} from './line-strokes.js';
export {
  alertsCell,
  type ColumnKind,
  cellText,
  compareCells,
  numericValue,
  RUN_FIELD_IDS,
  type RunColumn,
  runColumns,
  type TableRun,
} from './run-columns.js';
export {
  DEFAULT_EXTRA_COLUMNS,
  EMPTY_TABLE_STATE,
  groupRows,
  movedColumn,
  type RowGroup,
  type TableState,
  type TableView,
  tableView,
  toggled,
  visibleColumns,
  withColumnToggled,
} from './runs-table.js';
export {
  HEADER_GROUP_LABELS,
  type HeaderBand,
  headerAccessibleName,
  headerBands,
} from './runs-table-header.js';
export { RUN_POINTS_DATASET, type RunPlotOptions, type RunPointRow, scatterSpec } from './scatter-plot.js';
export { neutraliseCell, runsTableCsv, runsTableValues } from './table-csv.js';
export {
  type AddedPanel,
  type ChartSettings,
  CUSTOM_SECTION as CUSTOM_PANELS_SECTION,
  DEFAULT_CHART_SETTINGS,
  defaultLayout,
  EMBEDDED_PANEL_KINDS,
  type EmbeddedPanel,
  isEmbeddedPanel,
  LAYOUT_VERSION,
  type LayoutPanel,
  type LayoutXAxis,
  newPanelId,
  OLDEST_LAYOUT_VERSION,
  type PanelSection,
  type PlannedEmbed,
  type PlannedPanel,
  parseLayout,
  planPanels,
  serialiseLayout,
  type WorkspaceLayout,
} from './workspace-layout.js';
export { clampRange, linesExtent, panRange, type Range, zoomRange } from './zoom-range.js';
