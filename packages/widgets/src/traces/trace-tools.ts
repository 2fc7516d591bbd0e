import type { FeedbackKind } from './call-feedback.js';
import type { CallFilters } from './call-list-state.js';
import { FeedbackView } from './FeedbackView.js';
import { SqlView } from './SqlView.js';
import { TraceFilterBar } from './TraceFilterBar.js';

/** What the panel's tools need of its source beyond the list and trace reads (absent: the tool is left out). */
export interface TraceToolsSource {
  feedback?(callId: string): Promise<unknown>;
  addFeedback?(callId: string, kind: FeedbackKind, value: string): Promise<unknown>;
  sql?(sql: string): Promise<unknown>;
}

export interface TraceTools {
  filters: TraceFilterBar;
  sql: SqlView | null;
  feedback: FeedbackView | null;
}

/** The trace panel's second filter row, its SQL box and the selected call's feedback. */
export function traceTools(
  doc: Document,
  source: TraceToolsSource,
  on: { filter: (name: keyof CallFilters, value: string) => void; feedbackChanged: () => void },
): TraceTools {
  const { feedback, addFeedback, sql } = source;
  return {
    filters: new TraceFilterBar(doc, on.filter),
    sql: sql ? new SqlView(doc, (text) => sql.call(source, text)) : null,
    feedback:
      feedback && addFeedback
        ? new FeedbackView(
            doc,
            {
              feedback: (callId) => feedback.call(source, callId),
              addFeedback: (callId, kind, value) => addFeedback.call(source, callId, kind, value),
            },
            on.feedbackChanged,
          )
        : null,
  };
}
