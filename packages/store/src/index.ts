export { toRows } from './arrow-rows.js';
export {
  type ArrowStreamLimits,
  type ArrowStreamShape,
  checkArrowStream,
  tableFromCheckedIPC,
} from './arrow-stream-check.js';
export { crc32c } from './crc32c.js';
export { type M4Query, m4Sql } from './downsample-m4.js';
export { ema, weightedEma } from './ema.js';
export type { InsertOptions, SqlEngine } from './engine.js';
export {
  CorruptLogError,
  DamagedFrameError,
  describeError,
  FrameAssemblyError,
  IngestError,
  InvalidArrowStreamError,
  QueryError,
  StoreError,
  UnsupportedLogVersionError,
} from './errors.js';
export {
  FILE_HEADER_BYTES,
  FILE_MAGIC,
  FORMAT_VERSION,
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  type LogContents,
  type LogFrame,
  type LogPrefix,
  type ReadOptions,
  readFramedLog,
  readFramedLogPrefix,
  type TornTail,
} from './framed-log.js';
export {
  CatchUpCoordinator,
  type CatchUpCoordinatorOptions,
  type ReplayOrder,
  type ReplayReason,
  type SequenceView,
  type StoreReadKind,
} from './live/CatchUpCoordinator.js';
export {
  FramePipeline,
  type FramePipelineEvents,
  type FramePipelineOptions,
  type FramePipelineStats,
} from './live/FramePipeline.js';
export { type AssembledFrame, FrameAssembler, type FrameAssemblerOptions } from './live/frame-assembler.js';
export {
  type FrameInput,
  type IngestGroup,
  type IngestPlan,
  type IngestPlanner,
  metricColumns,
  planIngest,
  planOnThisThread,
} from './live/ingest-plan.js';
export { liveMessages } from './live/live-messages.js';
export { PollBackoff, type PollBackoffOptions } from './live/poll-backoff.js';
export { RunDatabase, type SeriesOptions, type SeriesPoint } from './live/RunDatabase.js';
export { RunEntry } from './live/RunEntry.js';
export {
  type FrameDecoder,
  type HubStats,
  type ReplayChannel,
  RunHub,
  type RunHubOptions,
} from './live/RunHub.js';
export type { RunChange, RunDataSource, RunLoadStatus, RunSummary } from './live/run-source.js';
export {
  type OfferResult,
  type ReadyFrame,
  SequenceTracker,
  type SequenceTrackerOptions,
} from './live/SequenceTracker.js';
export { StoreFollower, type StoreFollowOptions } from './live/StoreFollower.js';
export { type FollowHandle, StoreFollowers } from './live/StoreFollowers.js';
export { type ILiveSignal, LiveSignal, type Slot } from './live/signal.js';
export { isRefusedRead, StoreReadError, type StoreReader } from './live/store-reader.js';
export { parseMetricIPC } from './metric-ipc.js';
export { runsTableIPC } from './runs-table.js';
export { sqlIdentifier, sqlNumber, sqlString } from './sql-literal.js';
export {
  AGGREGATE_FUNCTIONS,
  type Aggregate,
  type AggregateFunction,
  aggregateName,
  type CellValue,
  COMPARE_STATUS,
  type ColumnKind,
  type ColumnSummary,
  type CompareOptions,
  cellValue,
  changedFlag,
  columnKind,
  compareSql,
  compareTables,
  createMaterializedSource,
  csvField,
  DECODE_BATCH_ROWS,
  DIRECT_WINDOW_ROWS,
  describeColumns,
  duckdbMessage,
  type ExportFormat,
  exportView,
  fetchWindow,
  type GroupBySpec,
  groupBySql,
  HIDDEN_PREFIX,
  type HistogramBin,
  isHidden,
  isMediaPath,
  type LoggedTableVersion,
  looksLikeMedia,
  type MediaKind,
  type MediaReference,
  neutraliseText,
  type ParquetCodec,
  type ParquetWasmModule,
  parquetCodec,
  parseMediaReference,
  parseQuickFilter,
  planView,
  type QuickFilter,
  quickFilterSql,
  ROW_ID,
  type RowWindow,
  registerArrowIPC,
  registerParquet,
  releaseSource,
  type SortKey,
  type SummaryOptions,
  selectStatement,
  sideName,
  summarizeColumn,
  type TableColumn,
  TableInputError,
  TableQueryError,
  type TableSource,
  type TableView,
  type TableViewSpec,
  tableMessages,
  tableToCsv,
  tableToWindow,
  tableVersions,
  type ViewWindows,
  viewSql,
  viewWindows,
  whereCondition,
  windowSql,
} from './table/index.js';
export { workspaceConnection } from './workspace/connection.js';
export {
  type AxisOverviewGrid,
  type BandPoint,
  type GroupBand,
  type GroupBandQuery,
  type LineSeries,
  type LineSeriesQuery,
  type LoadedMetric,
  type LoadOptions,
  type LoadPhase,
  type MemoryUsage,
  type MetricLoadProgress,
  type MetricRequest,
  type MetricResponse,
  type WindowRequest,
  type WorkspaceData,
  type WorkspaceDataOptions,
  WorkspaceMemoryError,
  type WorkspaceSource,
  WorkspaceSourceError,
  type XAxis,
  type XYPoint,
} from './workspace/data.js';
export type { HubRows } from './workspace/hub-rows.js';
export { createWorkspaceData, WorkspaceStore } from './workspace/WorkspaceStore.js';
