/** Feedback on calls as the server answers it (GET/POST /calls/feedback; docs/server-api.md#calls). */

export const FEEDBACK_KINDS = ['thumbs', 'note', 'label'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** One stored entry: thumbs ("up"/"down"), a note (text) or a label (a short name). */
export interface FeedbackEntry {
  id: string;
  call_id: string;
  kind: FeedbackKind;
  value: string;
  creator: string | null;
  source: string;
  created_at: string;
}

/** The feedback on a whole trace, as the list's rows carry it. */
export interface FeedbackSummary {
  up: number;
  down: number;
  notes: number;
  labels: string[];
}

/** The filters the list offers on feedback (the server's `feedback=` values). */
export const FEEDBACK_FILTERS: [value: string, label: string][] = [
  ['', 'any feedback'],
  ['any', 'with feedback'],
  ['none', 'without feedback'],
  ['up', 'thumbs up'],
  ['down', 'thumbs down'],
  ['note', 'with a note'],
];

function isEntry(value: unknown): value is FeedbackEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.id === 'string' &&
    typeof entry.call_id === 'string' &&
    FEEDBACK_KINDS.includes(entry.kind as FeedbackKind) &&
    typeof entry.value === 'string'
  );
}

/** The entries of one call from a GET /calls/feedback answer ({feedback: {call id: [entries]}}); malformed
 * entries are left out. */
export function feedbackOf(raw: unknown, callId: string): FeedbackEntry[] {
  const byCall = (raw as { feedback?: unknown } | null)?.feedback;
  if (typeof byCall !== 'object' || byCall === null) return [];
  const entries = (byCall as Record<string, unknown>)[callId];
  return Array.isArray(entries) ? entries.filter(isEntry) : [];
}

/** {call id: entries} of a whole answer (for the tree's marks). */
export function feedbackByCall(raw: unknown): Map<string, FeedbackEntry[]> {
  const byCall = (raw as { feedback?: unknown } | null)?.feedback;
  const out = new Map<string, FeedbackEntry[]>();
  if (typeof byCall !== 'object' || byCall === null) return out;
  for (const callId of Object.keys(byCall)) {
    const entries = feedbackOf(raw, callId);
    if (entries.length > 0) out.set(callId, entries);
  }
  return out;
}

/** The summary of a call's entries. */
export function summarize(entries: readonly FeedbackEntry[]): FeedbackSummary {
  const summary: FeedbackSummary = { up: 0, down: 0, notes: 0, labels: [] };
  for (const entry of entries) {
    if (entry.kind === 'thumbs' && (entry.value === 'up' || entry.value === 'down'))
      summary[entry.value] += 1;
    else if (entry.kind === 'note') summary.notes += 1;
    else if (entry.kind === 'label' && !summary.labels.includes(entry.value))
      summary.labels.push(entry.value);
  }
  return summary;
}

/** "👍 2 👎 1 ✎ 1 wrong, slow": the list cell and the tree's mark ('' for none). */
export function summaryText(summary: FeedbackSummary | null | undefined): string {
  if (!summary) return '';
  const parts: string[] = [];
  if (summary.up > 0) parts.push(`👍 ${summary.up}`);
  if (summary.down > 0) parts.push(`👎 ${summary.down}`);
  if (summary.notes > 0) parts.push(`✎ ${summary.notes}`);
  if (summary.labels.length > 0) parts.push(summary.labels.join(', '));
  return parts.join(' ');
}

/** A summary from a list row, checked (a row from an older server has none). */
export function parseSummary(raw: unknown): FeedbackSummary | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Record<string, unknown>;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const labels = Array.isArray(s.labels) ? s.labels.filter((l): l is string => typeof l === 'string') : [];
  return { up: count(s.up), down: count(s.down), notes: count(s.notes), labels };
}
