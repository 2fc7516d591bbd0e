export {
  FEEDBACK_FILTERS,
  FEEDBACK_KINDS,
  type FeedbackEntry,
  type FeedbackKind,
  type FeedbackSummary,
  feedbackOf,
  parseSummary,
  summarize,
  summaryText,
} from './call-feedback.js';
export { formatCost, formatLatency, formatTokens, summarizeValue } from './call-format.js';
export { CALL_STATUSES, type CallFilters, CallListState, localTimeToEpoch } from './call-list-state.js';
export { cellText as sqlCellText, parseSqlAnswer, type SqlAnswer, sqlSummary } from './call-sql.js';
export { buildCallTree, type CallNode, type CallTree, collapsedBelow, visibleRows } from './call-tree.js';
export {
  type CallsPage,
  CallsShapeError,
  parseCallsPage,
  parseTraceAnswer,
  parseValue,
  type RootCall,
  type TraceAnswer,
  type TraceCall,
} from './call-types.js';
export { chatMarkdownHtml } from './chat-markdown.js';
export { type ChatMessage, chatMessages } from './chat-messages.js';
export { callsFromIPC, LIVE_VALUE_LIMIT, type LiveCallBatch, LiveCalls } from './live-calls.js';
export { LiveTraces } from './live-traces.js';
export { traceAnswerFromArrow } from './trace-arrow.js';
export type { TraceToolsSource } from './trace-tools.js';
export { renderValue, type ValueViewOptions } from './value-view.js';
