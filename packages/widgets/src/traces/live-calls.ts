import { Signal } from '@lumino/signaling';
import type { CallsMessage } from '@spyglass/protocol';
import { tableFromCheckedIPC } from '@spyglass/store';
import type { TraceCall } from './call-types.js';

/** A value's JSON text longer than this is cut in the live view, as the server cuts /calls/trace answers. */
export const LIVE_VALUE_LIMIT = 65_536;

/** Calls of one `calls` message: a trace session's rows as stored, while the calls happen. */
export interface LiveCallBatch {
  project: string;
  storeRoot: string;
  sessionId: string;
  /** One entry per stored row, in log order (a call's `running` row before its end row). */
  calls: TraceCall[];
  /** Frames the kernel did not send (too large): the store has them. */
  unsentFrames: number;
}

/**
 * The page's feed of live calls: every kernel channel offers the `calls` messages it receives, each frame is
 * checked (bounds of the Arrow IPC stream) and decoded, and the trace panels of that project listen.
 */
export class LiveCalls {
  private readonly receivedSignal = new Signal<this, LiveCallBatch>(this);

  /** Emitted once per `calls` message that held rows (or frames left unsent). */
  get received(): Signal<this, LiveCallBatch> {
    return this.receivedSignal;
  }

  /** Decodes a message's frames; a frame that fails its check is left out (the panel reads the store). */
  offer(message: CallsMessage, buffers: Uint8Array[]): void {
    const calls: TraceCall[] = [];
    let unsent = message.unsent_frames;
    buffers.forEach((bytes, i) => {
      try {
        if (bytes.byteLength !== message.frames[i]?.total_bytes)
          throw new Error('size differs from total_bytes');
        calls.push(...callsFromIPC(bytes, message.session_id));
      } catch (error) {
        console.warn('Spyglass: dropped a malformed calls frame; the panel reads the store instead', error);
        unsent += 1;
      }
    });
    if (calls.length === 0 && unsent === 0) return;
    this.receivedSignal.emit({
      project: message.project,
      storeRoot: message.store_root,
      sessionId: message.session_id,
      calls,
      unsentFrames: unsent,
    });
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function time(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value / 1000 : null;
}

/** A stored value's JSON text, cut to LIVE_VALUE_LIMIT (the shape the server answers for a cut value). */
function cutValue(json: string | null): { json: string | null; truncated: boolean; size: number | null } {
  if (json === null || json.length <= LIVE_VALUE_LIMIT) return { json, truncated: false, size: null };
  const preview = json.slice(0, LIVE_VALUE_LIMIT / 2);
  return { json: JSON.stringify({ _type: 'truncated', preview }), truncated: true, size: json.length };
}

/** The rows of one calls.sglog frame (Arrow IPC, the call schema) as the trace panel's calls. */
export function callsFromIPC(bytes: Uint8Array, sessionId: string): TraceCall[] {
  const table = tableFromCheckedIPC(bytes);
  const calls: TraceCall[] = [];
  for (const row of table) {
    const r = row.toJSON() as Record<string, unknown>;
    const id = text(r.id);
    const traceId = text(r.trace_id);
    const opName = text(r.op_name);
    const status = text(r.status);
    const startedAt = time(r.started_at);
    if (id === null || traceId === null || opName === null || status === null || startedAt === null) {
      throw new TypeError('a call row without id, trace_id, op_name, status or started_at');
    }
    const endedAt = time(r.ended_at);
    const inputs = cutValue(text(r.inputs));
    const output = cutValue(text(r.output));
    calls.push({
      id,
      trace_id: traceId,
      parent_id: text(r.parent_id),
      op_name: opName,
      status,
      started_at: startedAt,
      ended_at: endedAt,
      latency: endedAt === null ? null : endedAt - startedAt,
      exception: text(r.exception),
      cost: typeof r.cost === 'number' ? r.cost : null,
      session_id: sessionId,
      run_id: text(r.run_id),
      thread_name: text(r.thread_name),
      task: text(r.task),
      inputs_json: inputs.json,
      output_json: output.json,
      attributes_json: text(r.attributes),
      usage_json: text(r.usage),
      inputs_truncated: inputs.truncated,
      output_truncated: output.truncated,
      inputs_size: inputs.size,
      output_size: output.size,
    });
  }
  return calls;
}
