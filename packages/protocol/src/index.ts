export { ProtocolError, ProtocolVersionError } from './errors.js';
export { parseMessage, parseRunInfo } from './guards.js';
export type {
  ErrorMessage,
  FrameChunk,
  FramesMessage,
  FrontendMessage,
  HelloMessage,
  KernelMessage,
  Message,
  MessageKind,
  ProtocolVersion,
  ReplayMessage,
  RunInfo,
  RunOutputData,
  RunState,
  RunUpdatedMessage,
  Stream,
} from './messages.js';
export {
  type MetricDefinition,
  parseRunMetadata,
  type RunMetadata,
  type StoredRunState,
} from './run-metadata.js';
export { COMM_TARGET, MAX_MESSAGE_BYTES, PROTOCOL_MAJOR, PROTOCOL_MINOR, RUN_MIME_TYPE } from './version.js';
