/** The trace panel's data as the server's /calls and /calls/trace answer it (docs/server-api.md#calls). */

import { isRecord } from '../is-record.js';
import type { FeedbackSummary } from './call-feedback.js';

/** What every call the endpoints answer has. */
export interface CallFields {
  id: string;
  trace_id: string;
  op_name: string;
  status: string;
  /** Seconds since the epoch. */
  started_at: number;
  ended_at: number | null;
  /** Seconds; null while running. */
  latency: number | null;
  exception: string | null;
  cost: number | null;
  session_id: string;
  run_id: string | null;
}

/** One root call in the list, with the totals of its trace (tokens and cost summed over every call). */
export interface RootCall extends CallFields {
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  call_count: number;
  /** Feedback on any call of the trace (null: none). */
  feedback?: FeedbackSummary | null;
}

export interface CallsPage {
  total: number;
  offset: number;
  calls: RootCall[];
  op_names: string[];
}

/**
 * One call of a trace. Its values come as the JSON text the store holds (`null` for none), parsed only when the
 * call is shown (parseValue); a value over the server's limit is cut down and flagged `<name>_truncated`.
 */
export interface TraceCall extends CallFields {
  parent_id: string | null;
  thread_name: string | null;
  task: string | null;
  inputs_json: string | null;
  output_json: string | null;
  attributes_json: string | null;
  usage_json: string | null;
  inputs_truncated: boolean;
  output_truncated: boolean;
  inputs_size?: number | null;
  output_size?: number | null;
}

/** A value's JSON text parsed; text that is not JSON (a damaged store) is shown as the text itself. */
export function parseValue(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export interface TraceAnswer {
  trace_id: string;
  calls_truncated: boolean;
  calls: TraceCall[];
}

/** An answer that does not have the shape the panel reads. */
export class CallsShapeError extends Error {
  constructor(what: string) {
    super(`the calls endpoint answered ${what}; is the server's Spyglass the same version as the page's?`);
    this.name = 'CallsShapeError';
  }
}

function hasCallFields(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.trace_id === 'string' &&
    typeof value.op_name === 'string' &&
    typeof value.status === 'string' &&
    typeof value.started_at === 'number'
  );
}

/** Checks a /calls answer (each row's identifying fields) before the panel uses it. */
export function parseCallsPage(raw: unknown): CallsPage {
  if (!isRecord(raw) || typeof raw.total !== 'number' || !Array.isArray(raw.calls)) {
    throw new CallsShapeError('without {total, calls}');
  }
  if (!raw.calls.every(hasCallFields)) throw new CallsShapeError('a call without id, trace_id, op_name');
  const opNames = Array.isArray(raw.op_names) ? raw.op_names.filter((n) => typeof n === 'string') : [];
  return {
    total: raw.total,
    offset: typeof raw.offset === 'number' ? raw.offset : 0,
    calls: raw.calls as RootCall[],
    op_names: opNames,
  };
}

/** Checks a /calls/trace answer. */
export function parseTraceAnswer(raw: unknown): TraceAnswer {
  if (!isRecord(raw) || typeof raw.trace_id !== 'string' || !Array.isArray(raw.calls)) {
    throw new CallsShapeError('without {trace_id, calls}');
  }
  if (!raw.calls.every(hasCallFields)) throw new CallsShapeError('a call without id, trace_id, op_name');
  return {
    trace_id: raw.trace_id,
    calls_truncated: raw.calls_truncated === true,
    calls: raw.calls as TraceCall[],
  };
}
