export {
  CatchUpCoordinator,
  type CatchUpCoordinatorOptions,
  type ReplayOrder,
  type ReplayReason,
  type SequenceView,
  type StoreReadKind,
} from './CatchUpCoordinator.js';
export { crc32c } from './crc32c.js';
export { type M4Query, m4Sql } from './downsample-m4.js';
export type { SqlEngine } from './engine.js';
export {
  CorruptLogError,
  FrameAssemblyError,
  IngestError,
  QueryError,
  StoreError,
  UnsupportedLogVersionError,
} from './errors.js';
export {
  FramePipeline,
  type FramePipelineEvents,
  type FramePipelineOptions,
  type FramePipelineStats,
} from './FramePipeline.js';
export { type AssembledFrame, FrameAssembler, type FrameAssemblerOptions } from './frame-assembler.js';
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
  type FrameInput,
  type IngestGroup,
  type IngestPlan,
  metricColumns,
  planIngest,
} from './ingest-plan.js';
export { PollBackoff, type PollBackoffOptions } from './poll-backoff.js';
export { RunDatabase, type SeriesOptions, type SeriesPoint } from './RunDatabase.js';
export {
  type OfferResult,
  type ReadyFrame,
  SequenceTracker,
  type SequenceTrackerOptions,
} from './SequenceTracker.js';
export { sqlIdentifier, sqlNumber, sqlString } from './sql-literal.js';
