export { formatCost, formatLatency, formatTokens, summarizeValue } from './call-format.js';
export { CALL_STATUSES, type CallFilters, CallListState } from './call-list-state.js';
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
export { type ChatMessage, chatMessages } from './chat-messages.js';
export { chatMarkdownHtml } from './chat-markdown.js';
export { callsFromIPC, LIVE_VALUE_LIMIT, type LiveCallBatch, LiveCalls } from './live-calls.js';
export { LiveTraces } from './live-traces.js';
export { renderValue, type ValueViewOptions } from './value-view.js';
