import type { TraceAnswer, TraceCall } from './call-types.js';

/** Live calls a panel keeps (the newest traces first); older traces are read from the store when opened. */
const MAX_LIVE_CALLS = 20_000;

/** Which of two rows of one call to show: an ended row over a `running` one, else the later one. */
function newer(a: TraceCall | undefined, b: TraceCall): TraceCall {
  if (a === undefined) return b;
  if (b.status === 'running' && a.status !== 'running') return a;
  return b;
}

/**
 * The live calls of one panel's project, by trace: what the comm delivered since the panel opened. The open
 * trace is drawn as the store's answer with these merged in, so a running agent's tree grows without a request.
 */
export class LiveTraces {
  private readonly traces = new Map<string, Map<string, TraceCall>>();
  private size = 0;

  /** Adds a batch of rows; returns the traces they touched and the newest root call among them. */
  add(calls: TraceCall[]): { traces: Set<string>; newestRoot: TraceCall | null } {
    const touched = new Set<string>();
    let newestRoot: TraceCall | null = null;
    for (const call of calls) {
      let trace = this.traces.get(call.trace_id);
      if (trace === undefined) {
        trace = new Map();
        this.traces.set(call.trace_id, trace);
      } else {
        // Map order is insertion order: a touched trace moves to the end (the newest), evicted last.
        this.traces.delete(call.trace_id);
        this.traces.set(call.trace_id, trace);
      }
      if (!trace.has(call.id)) this.size += 1;
      trace.set(call.id, newer(trace.get(call.id), call));
      touched.add(call.trace_id);
      if (call.parent_id === null && (newestRoot === null || call.started_at >= newestRoot.started_at))
        newestRoot = call;
    }
    for (const [traceId, trace] of this.traces) {
      if (this.size <= MAX_LIVE_CALLS || touched.has(traceId)) break;
      this.traces.delete(traceId);
      this.size -= trace.size;
    }
    return { traces: touched, newestRoot };
  }

  has(traceId: string): boolean {
    return this.traces.has(traceId);
  }

  /** The trace as the store answered it (or null: not read yet) with the live rows merged in, in start order. */
  merged(traceId: string, stored: TraceAnswer | null): TraceAnswer | null {
    const live = this.traces.get(traceId);
    if (live === undefined) return stored;
    const byId = new Map<string, TraceCall>();
    for (const call of stored?.calls ?? []) byId.set(call.id, call);
    for (const call of live.values()) byId.set(call.id, newer(byId.get(call.id), call));
    const calls = [...byId.values()].sort(
      (a, b) => a.started_at - b.started_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    // Whatever else the store's answer holds (feedback, ...) is kept.
    const base = stored ?? ({ trace_id: traceId, calls_truncated: false, calls: [] } as TraceAnswer);
    return { ...base, trace_id: traceId, calls };
  }
}
