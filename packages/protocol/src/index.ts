export { ERROR_CODES, type ErrorCode, isErrorCode } from './error-codes.js';
export { ProtocolError, ProtocolVersionError } from './errors.js';
export { parseMessage, parseRunInfo } from './guards.js';
export {
  type LineageArtifactInfo,
  type LineageEdge,
  type LineageEdgeKind,
  type LineageGraph,
  type LineageNode,
  type LineageNodeKind,
  type LineageOutputData,
  type LineageRunInfo,
  parseLineageGraph,
  parseLineageOutput,
} from './lineage-graph.js';
export type {
  CallsFrame,
  CallsMessage,
  ErrorMessage,
  FrameChunk,
  FramesMessage,
  FrontendMessage,
  HelloMessage,
  KernelMessage,
  Message,
  ProtocolVersion,
  ReplayMessage,
  RunDegraded,
  RunInfo,
  RunOutputData,
  RunState,
  RunUpdatedMessage,
  Stream,
} from './messages.js';
export {
  type MetricDefinition,
  parseRunDegraded,
  parseRunMetadata,
  type RunAlert,
  type RunMetadata,
  type SavedFile,
  type StoredRunState,
} from './run-metadata.js';
export {
  isSweepLive,
  type ParameterImportance,
  type ParameterKind,
  type ParamValue,
  parseSweepOutput,
  parseSweepSnapshot,
  type SweepCounts,
  type SweepInfo,
  type SweepMethod,
  type SweepMetric,
  type SweepOutputData,
  type SweepParameter,
  type SweepSnapshot,
  type SweepState,
  type SweepTrial,
  type TrialState,
} from './sweep-snapshot.js';
export {
  type ParsedTableOutput,
  parseTableOutput,
  type TableColumnInfo,
  type TableOutputData,
} from './table-output.js';
export { parseTracesOutput, type TracesOutputData } from './traces-output.js';
export {
  COMM_TARGET,
  EVALS_MIME_TYPE,
  LINEAGE_MIME_TYPE,
  MAX_MESSAGE_BYTES,
  MIME_TYPES,
  PROTOCOL_MAJOR,
  PROTOCOL_MINOR,
  RUN_MIME_TYPE,
  RUN_PALETTE,
  SWEEP_MIME_TYPE,
  TABLE_MIME_TYPE,
  TRACES_MIME_TYPE,
  WORKSPACE_MIME_TYPE,
} from './version.js';
export { parseWorkspaceOutput, type WorkspaceOutputData } from './workspace-output.js';
export {
  type FlatValue,
  type HistogramPoint,
  type HistogramsAnswer,
  METRIC_METADATA_KEY,
  type MetricMetadata,
  type OverviewAxis,
  parseHistogramsAnswer,
  parseMetricMetadata,
  parseRunListing,
  type RunListing,
  type RunOverviewStats,
  type WorkspaceRun,
} from './workspace-payloads.js';
